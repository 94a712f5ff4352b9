package ical

import (
	"strings"

	"github.com/crossagenda/crossagenda/internal/tz"
)

// loadZone resolves a TZID: an IANA name, a Windows name (CLDR), or an IANA
// name behind a vendor prefix such as Lightning's
// "/mozilla.org/20070129_1/Europe/Paris".
func loadZone(name string) (*tz.Zone, bool) {
	name = strings.TrimSpace(strings.Trim(name, `"`))
	if name == "" || strings.EqualFold(name, "Local") { // the machine's zone means nothing here
		return nil, false
	}
	if z, err := tz.Load(name); err == nil {
		return z, true
	}
	if iana, ok := windowsZones[name]; ok {
		if z, err := tz.Load(iana); err == nil {
			return z, true
		}
	}
	if strings.HasPrefix(name, "/") {
		parts := strings.Split(name, "/")
		for k := max(len(parts)-3, 1); k < len(parts)-1; k++ {
			if z, err := tz.Load(strings.Join(parts[k:], "/")); err == nil {
				return z, true
			}
		}
	}
	return nil, false
}
