# Expands a batch of recurrence rules with python-dateutil, for
# TestAgainstDateutil. Input (argv[1], JSON): a list of
#   {"rule": RRULE value, "dtstart": "YYYY-MM-DDTHH:MM:SS", "zone": IANA name or "",
#    "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}
# Output (stdout, JSON): for each case, either {"error": message} or
#   {"dates": ["YYYY-MM-DD", ...], "unix": [seconds, ...]}
# listing the occurrences whose local date lies in [from, to). With a zone,
# DTSTART is aware (zoneinfo, fold=0) and "unix" holds each occurrence's
# instant; without one DTSTART is naive and "unix" is empty.
import datetime
import json
import sys
import zoneinfo

from dateutil.rrule import rrulestr


def day(s):
    return datetime.date.fromisoformat(s)


out = []
for c in json.load(open(sys.argv[1])):
    tz = zoneinfo.ZoneInfo(c["zone"]) if c["zone"] else None
    dtstart = datetime.datetime.fromisoformat(c["dtstart"]).replace(tzinfo=tz)
    try:
        rule = rrulestr(c["rule"], dtstart=dtstart)
        lo, hi = day(c["from"]), day(c["to"])
        # Pad the window by two days and filter on local dates, so that
        # instants near midnight cannot fall on the wrong side.
        a = datetime.datetime.combine(lo - datetime.timedelta(days=2), datetime.time(), tzinfo=tz)
        b = datetime.datetime.combine(hi + datetime.timedelta(days=2), datetime.time(), tzinfo=tz)
        dates, unix = [], []
        for x in rule.between(a, b, inc=True):
            if lo <= x.date() < hi:
                dates.append(x.date().isoformat())
                if tz is not None:
                    unix.append(int(x.timestamp()))
        out.append({"dates": dates, "unix": unix})
    except Exception as e:  # reported per case, compared by the test
        out.append({"error": repr(e)})
json.dump(out, sys.stdout)
