package ace

import (
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Messages AWS documents (FAQ 7.7); the %s is a field's label.
const (
	msgPicklist = "Invalid Data: Select from the predefined %s list"
	msgRequired = "Required: "
)

// cosell's own wording, in AWS's style, where AWS publishes none.
const (
	msgDate   = "Invalid Data: %s must be a date in YYYY-MM-DD format"
	msgNumber = "Invalid Data: %s must be a number"
	msgList   = "Invalid Data: %s must be a list of values"
)

// noSalesRepNeed is the ACE value meaning no co-sell need; the API says it with an empty PrimaryNeedsFromAws.
const noSalesRepNeed = "Do Not Need Support from AWS Sales Rep"

// marketingSources translate IsOppFromMarketingActivity to the API's Marketing.Source.
var marketingSources = map[string]string{"Yes": "Marketing Activity", "No": "None"}

// apiValue reads field f of r as the API value stored at a leaf of type leaf: a string, a []string, or nil when
// nothing is to be stored; problems are AWS's per-record messages. Picklist values are checked against AWS's
// tables first, then translated to the API's enum.
func apiValue(f *field, r Record, leaf reflect.Type) (any, []string) {
	label := f.label
	switch {
	case f.kind == "Array":
		items, ok := r.list(f.name)
		if !ok {
			return nil, []string{sprintf(msgList, label)}
		}
		return items, nil
	case f.isPicklist():
		raw, _ := r.value(f.name)
		var values []string
		if f.isMultiSelect() {
			values = compact(strings.Split(raw, ";"))
		} else {
			values = []string{raw}
		}
		out, problems := picklistValues(f, values, enumValues(leaf))
		if len(problems) > 0 || out == nil {
			return nil, problems
		}
		if leaf != nil && leaf.Kind() == reflect.Slice {
			return out, nil
		}
		return out[0], nil
	case f.kind == "Date":
		d := r.Text(f.name)
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return nil, []string{sprintf(msgDate, label)}
		}
		return d, nil
	case strings.HasPrefix(f.kind, "Currency"):
		n, ok := number(r, f.name)
		if !ok {
			return nil, []string{sprintf(msgNumber, label)}
		}
		return strconv.FormatFloat(n, 'f', -1, 64), nil
	}
	v, _ := r.value(f.name)
	if f.kind == "Phone" {
		return e164(v), nil
	}
	return v, nil
}

// e164 writes a phone number the way the API requires (+ and up to 15 digits). ACE took free text such as
// "1234567890"; ten digits without a country code are read as a North American number, as AWS's samples are.
func e164(phone string) string {
	var digits strings.Builder
	for _, c := range phone {
		if c >= '0' && c <= '9' {
			digits.WriteRune(c)
		}
	}
	d := digits.String()
	if d == "" {
		return phone
	}
	if !strings.HasPrefix(strings.TrimSpace(phone), "+") && len(d) == 10 {
		d = "1" + d
	}
	return "+" + d
}

// picklistValues checks values against f's standard values and translates them for the API enum apiEnum (nil:
// the API takes the text as is). The result is nil when nothing is to be stored (no co-sell need).
func picklistValues(f *field, values []string, apiEnum []string) ([]string, []string) {
	list := opportunityPicklists[f.name]
	invalid := []string{sprintf(msgPicklist, f.label)}
	var out []string
	for _, v := range values {
		if list != nil {
			std, ok := list.standard(v)
			if !ok {
				return nil, invalid
			}
			v = std
		}
		switch {
		case f.name == "partnerPrimaryNeedFromAws" && v == noSalesRepNeed:
			if len(values) > 1 {
				return nil, []string{"Invalid Data: " + noSalesRepNeed + " cannot be selected together with Co-Sell values"}
			}
			continue
		case f.name == "IsOppFromMarketingActivity":
			v = marketingSources[v]
		case f.name == "country":
			code, ok := countryCode(v)
			if !ok {
				return nil, invalid
			}
			v = string(code)
		case apiEnum != nil:
			a, ok := toAPIValue(v, apiEnum)
			if !ok {
				return nil, invalid
			}
			v = a
		}
		out = append(out, v)
	}
	return out, nil
}

// number reads a numeric field; ACE sends numbers, but a numeric string is accepted too.
func number(r Record, name string) (float64, bool) {
	s, ok := r.value(name)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || n != n || n > 1e18 || n < -1e18 {
		return 0, false
	}
	return n, true
}
