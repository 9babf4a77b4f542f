package mail

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask stands in a logged mail for the token of a link.
const Mask = "[hidden]"

var linkRE = regexp.MustCompile(`https?://[^\s<>"']+`)

// tokenParams are query parameters whose value is a secret whatever it
// looks like.
var tokenParams = map[string]bool{"token": true, "t": true, "code": true, "key": true, "secret": true, "sig": true}

// tokenRoutes are path segments followed by a secret (/invite/TOKEN).
var tokenRoutes = map[string]bool{"invite": true, "setup": true, "confirm": true, "verify": true, "reset": true}

// SecretParam reports whether a query parameter's value is a secret
// whatever it looks like (the request log masks the same ones).
func SecretParam(name string) bool { return tokenParams[strings.ToLower(name)] }

// TokenRoute reports whether a path segment is followed by a secret.
func TokenRoute(seg string) bool { return tokenRoutes[strings.ToLower(seg)] }

// Secrets returns the tokens in the links of a mail's text: values of
// token-like query parameters, the segment after /invite/, /setup/,
// /confirm/, …, and any segment or value that looks random (32 or more
// URL-safe characters mixing letters and digits).
func Secrets(text string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, link := range linkRE.FindAllString(text, -1) {
		link = strings.TrimRight(link, ".,;:!?)]}")
		u, err := url.Parse(link)
		if err != nil {
			continue
		}
		segs := strings.Split(u.EscapedPath(), "/")
		for i, seg := range segs {
			if (i > 0 && tokenRoutes[strings.ToLower(segs[i-1])] && seg != "") || LooksRandom(seg) {
				add(seg)
			}
		}
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if v != "" && (tokenParams[strings.ToLower(k)] || LooksRandom(v)) {
				add(v)
			}
		}
	}
	return out
}

// LooksRandom reports whether s looks like a generated token: at least 32
// characters of the URL-safe base64 (or hex) alphabet, with both letters
// and digits. Slugs and words do not pass.
func LooksRandom(s string) bool {
	if len(s) < 32 {
		return false
	}
	var letter, digit bool
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letter = true
		case c == '-' || c == '_' || c == '%' || c == '=':
		default:
			return false
		}
	}
	return letter && digit
}

// MaskSecrets replaces the tokens of text's links with Mask.
func MaskSecrets(text string) string {
	for _, s := range Secrets(text) {
		text = strings.ReplaceAll(text, s, Mask)
	}
	return text
}
