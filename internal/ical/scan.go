package ical

import (
	"bytes"
	"strings"
)

// maxDepth bounds the nesting of components (VCALENDAR > VEVENT > VALARM
// is 3), so that the recursive decoder's stack stays small.
const maxDepth = 8

// maxParams bounds the parameter section of one content line: the decoder
// builds parameter values a byte at a time, in time quadratic in their
// length.
const maxParams = 4096

// scan checks the content lines before the decoder sees them: their
// grammar (the decoder panics on some malformed parameters), the nesting
// of BEGIN and END, and the number of events. Errors name the line and,
// inside an event, its UID when it came before.
func (p *parser) scan(data []byte) error {
	var stack []string
	uid := ""
	events := 0
	lineNo, startNo := 0, 0
	var logical []byte
	check := func() error {
		if len(logical) == 0 {
			return nil
		}
		l := string(logical)
		if msg := checkLine(l); msg != "" {
			return p.fail(uid, "", "line %d: %s", startNo, msg)
		}
		name, value, _ := strings.Cut(l, ":")
		name, _, _ = strings.Cut(name, ";")
		name = strings.ToUpper(name)
		value = strings.ToUpper(strings.TrimSpace(value))
		switch {
		case name == "BEGIN":
			if len(stack) == 0 && value != "VCALENDAR" {
				return p.fail("", "", "line %d: BEGIN:%s outside a VCALENDAR", startNo, value)
			}
			if len(stack) >= maxDepth {
				return p.fail(uid, "", "line %d: components nested more than %d deep", startNo, maxDepth)
			}
			stack = append(stack, value)
			if value == "VEVENT" {
				events++
				if events > p.o.MaxEvents {
					return p.limit("MaxEvents", "", "", "more than %d events", p.o.MaxEvents)
				}
				uid = eventName("", events-1)
			}
		case name == "END":
			if len(stack) == 0 || stack[len(stack)-1] != value {
				open := "nothing"
				if len(stack) > 0 {
					open = "BEGIN:" + stack[len(stack)-1]
				}
				return p.fail(uid, "", "line %d: END:%s does not close %s", startNo, value, open)
			}
			stack = stack[:len(stack)-1]
			if value == "VEVENT" {
				uid = ""
			}
		case len(stack) == 0:
			return p.fail("", "", "line %d: %s outside a VCALENDAR", startNo, name)
		case name == "UID" && stack[len(stack)-1] == "VEVENT":
			uid = value
			if _, v, ok := strings.Cut(l, ":"); ok {
				uid = v
			}
		}
		logical = logical[:0]
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	for len(data) > 0 {
		lineNo++
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') && len(logical) > 0 {
			logical = append(logical, line[1:]...)
			continue
		}
		if err := check(); err != nil {
			return err
		}
		logical = append(logical[:0], line...)
		startNo = lineNo
	}
	if err := check(); err != nil {
		return err
	}
	if len(stack) > 0 {
		return p.fail(uid, "", "the text ends inside BEGIN:%s", stack[len(stack)-1])
	}
	if events == 0 && lineNo == 0 {
		return p.fail("", "", "the calendar is empty")
	}
	return nil
}

// checkLine returns what is wrong with a content line, or "": RFC 5545
// §3.1, NAME *(";" PARAM "=" VALUE *("," VALUE)) ":" value.
func checkLine(l string) string {
	i := 0
	for i < len(l) && isNameChar(l[i]) {
		i++
	}
	if i == 0 {
		return "a content line starts with a property name (letters, digits and '-')"
	}
	params := i
	for i < len(l) && l[i] == ';' {
		i++
		j := i
		for i < len(l) && isNameChar(l[i]) {
			i++
		}
		if i == j || i >= len(l) || l[i] != '=' {
			return "malformed parameter: want ;NAME=VALUE"
		}
		i++
		for {
			if i < len(l) && l[i] == '"' {
				k := strings.IndexByte(l[i+1:], '"')
				if k < 0 {
					return "unterminated quoted parameter value"
				}
				i += k + 2
			} else {
				for i < len(l) && l[i] != ';' && l[i] != ',' && l[i] != ':' && l[i] != '"' {
					i++
				}
				if i < len(l) && l[i] == '"' {
					return "double quote inside an unquoted parameter value"
				}
			}
			if i >= len(l) {
				return "missing ':' before the value"
			}
			if l[i] != ',' {
				break
			}
			i++
		}
		if l[i] != ';' && l[i] != ':' {
			return "unexpected character after a parameter value"
		}
		if i-params > maxParams {
			return "parameters longer than 4096 bytes"
		}
	}
	if i >= len(l) || l[i] != ':' {
		return "missing ':' after the property name"
	}
	return ""
}

func isNameChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}
