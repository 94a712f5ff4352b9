module github.com/crossagenda/crossagenda

go 1.24

require (
	github.com/stretchr/testify v1.12.1
	github.com/teambition/rrule-go v1.8.2
	golang.org/x/sync v0.25.0
)
