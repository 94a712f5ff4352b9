// Package pgstore keeps crossagenda's data in PostgreSQL, the source of
// truth, and keeps an [agenda.Live] index that follows it.
//
// It is a Go module of its own so that importing package agenda never pulls
// a database driver.
package pgstore

import _ "github.com/crossagenda/crossagenda/agenda" // the package this one stores
