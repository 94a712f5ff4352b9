module github.com/crossagenda/crossagenda/cmd/replay

go 1.26.0

require (
	github.com/crossagenda/crossagenda v0.0.0
	github.com/crossagenda/crossagenda/examples/server v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/emersion/go-ical v0.0.0-20250329121855-f41e73efc392 // indirect
	github.com/teambition/rrule-go v1.8.2 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sync v0.25.0 // indirect
)

replace (
	github.com/crossagenda/crossagenda => ../..
	github.com/crossagenda/crossagenda/examples/server => ../../examples/server
)
