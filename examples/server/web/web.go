// Package web holds the files of the agenda page (HTML, CSS, JavaScript and
// the vendored FullCalendar bundle), embedded in the server binary so that
// the page needs no build step and no network beyond its own server.
package web

import "embed"

// Files are the page's files: index.html, app.js, app.css and
// vendor/fullcalendar/.
//
//go:embed index.html app.js app.css vendor
var Files embed.FS
