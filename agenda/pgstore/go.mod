module github.com/crossagenda/crossagenda/agenda/pgstore

go 1.26.0

replace github.com/crossagenda/crossagenda => ../..

require github.com/crossagenda/crossagenda v0.0.0-00010101000000-000000000000

require golang.org/x/sync v0.25.0 // indirect
