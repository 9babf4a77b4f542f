package components

import "testing"

// cssToken keeps a token as it is and reduces anything else to one.
func TestCSSToken(t *testing.T) {
	for in, want := range map[string]string{
		"success": "success", "role-owner": "role-owner", "agent_limited": "agent-limited", " Role Owner ": "role-owner",
		"x\"><script>": "xscript", "": "neutral", "!!": "neutral", "Ünï": "n",
	} {
		if got := cssToken(in); got != want {
			t.Errorf("cssToken(%q) = %q, want %q", in, got, want)
		}
	}
}
