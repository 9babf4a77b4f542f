package names

import (
	"fmt"
	"unicode"
)

// Characters that draw nothing but change what a reader sees: zero-width
// characters hide inside a name ("Ad\u200bmin" looks like "Admin"), and
// bidirectional controls reorder the text around them (U+202E turns
// "Alice\u202Egnp.exe" into "Aliceexe.png"). A person's, group's or
// organization's name is shown to others, so none of them is allowed.
var hiddenNames = map[rune]string{
	0x00AD: "soft hyphen",
	0x034F: "combining grapheme joiner",
	0x061C: "Arabic letter mark",
	0x115F: "Hangul choseong filler",
	0x1160: "Hangul jungseong filler",
	0x180E: "Mongolian vowel separator",
	0x200B: "zero width space",
	0x200C: "zero width non-joiner",
	0x200D: "zero width joiner",
	0x200E: "left-to-right mark",
	0x200F: "right-to-left mark",
	0x2028: "line separator",
	0x2029: "paragraph separator",
	0x202A: "left-to-right embedding",
	0x202B: "right-to-left embedding",
	0x202C: "pop directional formatting",
	0x202D: "left-to-right override",
	0x202E: "right-to-left override",
	0x2060: "word joiner",
	0x2061: "function application",
	0x2062: "invisible times",
	0x2063: "invisible separator",
	0x2064: "invisible plus",
	0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate",
	0x2068: "first strong isolate",
	0x2069: "pop directional isolate",
	0x3164: "Hangul filler",
	0xFEFF: "zero width no-break space",
	0xFFA0: "halfwidth Hangul filler",
}

// IsHidden reports whether r is a zero-width, invisible or bidirectional
// control character: the ones listed above and every other format
// character (Unicode category Cf, e.g. the tag characters).
func IsHidden(r rune) bool {
	_, listed := hiddenNames[r]
	return listed || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp)
}

// HiddenCharacter returns the message for a name that contains such a
// character, saying which one, or "" when it has none. Every place that
// accepts a person's, group's or organization's name calls it.
func HiddenCharacter(name string) string {
	for _, r := range name {
		if IsHidden(r) {
			what := hiddenNames[r]
			if what == "" {
				what = "an invisible formatting character"
			}
			return fmt.Sprintf("Remove the invisible character U+%04X (%s): a name may not contain zero-width or text-direction characters.", r, what)
		}
	}
	return ""
}
