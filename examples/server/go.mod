module github.com/crossagenda/crossagenda/examples/server

go 1.26.0

require (
	github.com/chromedp/chromedp v0.23.1
	github.com/crossagenda/crossagenda v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/chromedp/cdproto v0.160.1 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sync v0.25.0 // indirect
)

replace github.com/crossagenda/crossagenda => ../..
