package account

import (
	"net"
	"net/url"
	"strings"
	"unicode"

	api "github.com/cosell/cosell/api/account"
)

// maxErrorDetails is the model's bound on a task's ErrorDetailList.
const maxErrorDetails = 50

// reviewProfileContent stands in for AWS's review of a profile update: it
// returns what AWS would refuse in content the model accepts. The model
// already requires https URLs, so what is left to catch is an address that
// cannot be a public website: a host that is not a registrable domain name
// (an IP address, "localhost", a malformed label). A locale given twice in
// LocalizedContents is contradictory content. Everything else passes:
// cosell cannot see a logo's bytes or judge prose, and refusing content
// AWS would publish is worse for an integration test than accepting it.
// Top-level content is reported under TranslationSourceLocale, the locale
// it is written in.
func reviewProfileContent(d api.TaskDetails) []api.ErrorDetail {
	var errs []api.ErrorDetail
	add := func(locale, msg string, reason api.ProfileValidationErrorReason) {
		if len(errs) < maxErrorDetails {
			errs = append(errs, api.ErrorDetail{Locale: locale, Message: msg, Reason: reason})
		}
	}
	checkURLs := func(locale, website, logo string) {
		if !publicURL(website) {
			add(locale, "The website URL "+website+" is not the address of a public website.", api.ProfileValidationErrorReasonInvalidWebsiteUrl)
		}
		if !publicURL(logo) {
			add(locale, "The logo URL "+logo+" is not a publicly reachable address.", api.ProfileValidationErrorReasonInvalidLogoUrl)
		}
	}
	checkURLs(d.TranslationSourceLocale, d.WebsiteUrl, d.LogoUrl)
	seen := map[string]bool{}
	for _, c := range d.LocalizedContents {
		if seen[c.Locale] {
			add(c.Locale, "The locale "+c.Locale+" has more than one localized content.", api.ProfileValidationErrorReasonInvalidContent)
			continue
		}
		seen[c.Locale] = true
		checkURLs(c.Locale, c.WebsiteUrl, c.LogoUrl)
	}
	return errs
}

// publicURL reports whether raw's host is a domain name on the public
// internet: at least two labels of letters, digits and inner hyphens, and
// a top-level label that is not numeric (which rules out IP addresses).
func publicURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(u.Hostname(), ".")
	if net.ParseIP(host) != nil {
		return false
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !dnsLabel(l) {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return strings.Trim(tld, "0123456789") != ""
}

// dnsLabel reports whether l is a valid host name label (RFC 1123),
// letting letters beyond ASCII through for internationalized names.
func dnsLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
			return false
		}
	}
	return true
}
