module github.com/crossagenda/crossagenda/benchmarks/peers

go 1.26.0

require (
	github.com/Workiva/go-datastructures v1.1.7
	github.com/crossagenda/crossagenda v0.0.0
	github.com/rdleal/intervalst v1.1.0
)

require go.yaml.in/yaml/v3 v3.0.6 // indirect

replace github.com/crossagenda/crossagenda => ../..
