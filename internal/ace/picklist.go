package ace

import (
	"regexp"
	"strings"

	"github.com/cosell/cosell/api/selling"
)

// picklist is the standard values of one field, looked up without regard to case or spacing.
type picklist map[string]string // key(value) -> the value as AWS spells it

func newPicklist(values []string) picklist {
	p := make(picklist, len(values))
	for _, v := range values {
		if _, dup := p[key(v)]; !dup {
			p[key(v)] = v
		}
	}
	return p
}

// key folds the differences AWS's own tables show between spellings of one value ("Saint Martin (French Part )",
// "Bonaire,Sint Eustatius and Saba").
func key(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, ",", ", ")), ""))
}

// standard is the value as AWS spells it; ok is false for a value outside the list.
func (p picklist) standard(v string) (string, bool) {
	s, ok := p[key(v)]
	return s, ok
}

var (
	// opportunityPicklists are Opportunity_-_StandardValues.csv by ACE field name.
	opportunityPicklists = map[string]picklist{}
	// leadPicklists are Lead_-_StandardValues.csv by ACE lead field name.
	leadPicklists = map[string]picklist{}
	// countryCodes and countryNames translate between ACE country names and the API's CountryCode.
	countryCodes = map[string]selling.CountryCode{}
	countryNames = map[selling.CountryCode]string{}
	// noPostalCode are the countries of CountriesWithoutPostalCode.csv, by key.
	noPostalCode = map[string]bool{}
	// postalCodes are the rules of PostalCodeValidations.csv, by key of the country name.
	postalCodes = map[string]postalRule{}
)

// leadPicklistFields names the columns of Lead_-_StandardValues.csv, whose headers are screen labels.
var leadPicklistFields = map[string]string{
	"Industry Vertical \n(required)": "industry", "Country\n(required)": "country", "State/Province": "state",
	"status": "status", "Use Case": "useCaseWorkload", "Current Lead Stage": "currentLeadStage",
}

func init() {
	for h, values := range columns("Opportunity_-_StandardValues.csv") {
		opportunityPicklists[h] = newPicklist(values)
	}
	for h, values := range columns("Lead_-_StandardValues.csv") {
		name, ok := leadPicklistFields[h]
		if !ok {
			name = leadPicklistFields[strings.TrimSpace(h)]
		}
		if name == "" {
			name = strings.ReplaceAll(h, "\n", " ") // see leadPicklistFields: every column is named there
		}
		leadPicklists[name] = newPicklist(values)
	}
	_, rows := readTable("Countries.csv")
	for _, row := range rows {
		code := selling.CountryCode(cell(row, 1))
		countryCodes[key(cell(row, 0))] = code
		if _, dup := countryNames[code]; !dup {
			countryNames[code] = cell(row, 0)
		}
	}
	_, rows = readTable("CountriesWithoutPostalCode.csv")
	for _, row := range rows {
		noPostalCode[key(cell(row, 0))] = true
	}
	_, rows = readTable("PostalCodeValidations.csv")
	for _, row := range rows {
		if rule, ok := newPostalRule(cell(row, 1)); ok {
			postalCodes[key(cell(row, 0))] = rule
		}
	}
}

// countryCode is the API code of an ACE country name (lead files use the same names).
func countryCode(name string) (selling.CountryCode, bool) {
	c, ok := countryCodes[key(name)]
	return c, ok
}

// postalRule is one country's postal code formats and AWS's message when none matches.
type postalRule struct {
	formats []*regexp.Regexp
	message string
}

// postalFormat finds the formats in AWS's message "... postal code must be in 99999 OR 99999-9999 format.".
var postalFormat = regexp.MustCompile(`must be in (.+) format\.?$`)

// A format spells digits 9 (or N, as in "974NN"), letters A, optional parts in parentheses and "A/N" for
// either. Formats with other letters are examples or literal prefixes ("DT3 6GB OR L2 2DP", "LT-99999",
// "9999 AC") that we do not interpret: those countries are not checked.
var postalAlternatives = regexp.MustCompile(`\s+(?i:or)\s+`)

func newPostalRule(message string) (postalRule, bool) {
	m := postalFormat.FindStringSubmatch(message)
	if m == nil {
		return postalRule{}, false
	}
	rule := postalRule{message: message}
	for _, alt := range postalAlternatives.Split(m[1], -1) {
		re, ok := postalPattern(alt)
		if !ok {
			return postalRule{}, false
		}
		rule.formats = append(rule.formats, re)
	}
	return rule, true
}

func postalPattern(format string) (*regexp.Regexp, bool) {
	var b strings.Builder
	b.WriteString("^")
	repl := strings.NewReplacer("(A/N)", "[A-Za-z0-9]?", "(A)", "[A-Za-z]?", "(N)", "[0-9]?", "9", "[0-9]", "N", "[0-9]",
		"A", "[A-Za-z]", " ", " ", "-", "-")
	for _, r := range strings.NewReplacer("(A/N)", "", "(A)", "", "(N)", "").Replace(format) {
		if !strings.ContainsRune("9NA -", r) {
			return nil, false
		}
	}
	b.WriteString(repl.Replace(format))
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return re, err == nil
}

// checkPostalCode is AWS's message when code does not fit the country's formats, else "".
func checkPostalCode(country, code string) string {
	rule, ok := postalCodes[key(country)]
	if !ok {
		return ""
	}
	for _, re := range rule.formats {
		if re.MatchString(code) {
			return ""
		}
	}
	return rule.message
}

// toAPIValue translates a standard value to the API enum whose values are apiValues: AWS's S3 tables write
// "Computers & Electronics" and "Lost to Competitor – Google" where the API says "Computers and Electronics"
// and "Lost to Competitor - Google". ok is false when the API has no such value.
func toAPIValue(v string, apiValues []string) (string, bool) {
	for _, candidate := range []string{v, apiSpelling.Replace(v)} {
		for _, a := range apiValues {
			if strings.EqualFold(a, candidate) {
				return a, true
			}
		}
	}
	return "", false
}

var apiSpelling = strings.NewReplacer(" & ", " and ", "&", " and ", "\u2013", "-", "\u2014", "-")

// fromAPIValue is the standard value of p that translates to the API value a; a itself when none does.
func fromAPIValue(a string, p picklist) string {
	for _, v := range p {
		if t, ok := toAPIValue(v, []string{a}); ok && t == a {
			return v
		}
	}
	return a
}
