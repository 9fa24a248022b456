package account

import "testing"

func TestPublicURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://www.example.com":             true,
		"https://example.co.uk/about?lang=en": true,
		"https://EXAMPLE.COM:8443/":           true,
		"https://münchen.de":                  true,
		"https://xn--mnchen-3ya.de/logo.svg":  true,
		"https://localhost":                   false,
		"https://intranet/logo.png":           false,
		"https://192.168.1.10/logo.png":       false,
		"https://[2001:db8::1]/":              false,
		"https://example.123":                 false,
		"https://-bad-.example.com":           false,
		"https://exa_mple.com":                false,
		"https://example..com":                false,
		"https://%zz":                         false,
	} {
		if got := publicURL(raw); got != want {
			t.Errorf("publicURL(%q) = %v, want %v", raw, got, want)
		}
	}
}
