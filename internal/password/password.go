// Package password hashes and checks passwords with argon2id and enforces the
// password rules (length, not one repeated character, not a common
// password). Hashes are PHC strings so parameters can change later.
package password

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// MinLength and MaxLength bound a password (in characters).
const (
	MinLength = 10
	MaxLength = 256
)

// Params are argon2id's cost settings. The defaults follow OWASP's minimum
// (19 MiB, 2 passes) to keep a login cheap on a 2-core box.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// Default is used for new hashes.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// The messages of Validate, one per rule, so a form says which one failed.
var (
	ErrTooShort = fmt.Errorf("Use at least %d characters.", MinLength)
	ErrTooLong  = fmt.Errorf("Use at most %d characters.", MaxLength)
	ErrRepeated = errors.New("Do not repeat one character (like \"aaaaaaaaaa\"): such a password is guessed at once.")
	ErrCommon   = errors.New("This is one of the 10,000 most common passwords: choose one that is harder to guess.")
)

// Validate returns a user-facing message for a password that breaks a rule:
// too short or long, one character repeated, or in the common list.
func Validate(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return ErrTooShort
	case n > MaxLength:
		return ErrTooLong
	case oneRune(pw):
		return ErrRepeated
	case IsCommon(pw):
		return ErrCommon
	}
	return nil
}

func oneRune(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}

// commonList is Mark Burnett's "10,000 Top Passwords" as shipped by the
// npm package common-password 0.1.2 (ISC licence; see COMMON-PASSWORDS.md),
// one lower-case password a line.
//
//go:embed common-passwords.txt
var commonList string

// common is the list as a set, built on first use: a command that never
// validates a password never pays for it.
var common = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 10_000)
	sc := bufio.NewScanner(strings.NewReader(commonList))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			m[w] = struct{}{}
		}
	}
	return m
})

// IsCommon reports whether pw is in the common list, ignoring case
// ("Password123" is as weak as "password123").
func IsCommon(pw string) bool {
	_, ok := common()[strings.ToLower(pw)]
	return ok
}

// CommonCount is how many passwords the bundled list holds.
func CommonCount() int { return len(common()) }

// Hash returns a PHC-format argon2id hash of pw.
func Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	p := Default
	key := deriveKey(pw, salt, p, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

var errMalformed = errors.New("malformed password hash")

// Check reports whether pw matches hash. An empty hash (an imported account
// that never set a password) or a malformed one never matches, and still
// costs one argon2id derivation, so timing does not tell such an account
// from one with a password.
func Check(hash, pw string) bool {
	ok, err := check(hash, pw)
	if err != nil {
		Equalize(pw)
		return false
	}
	return ok
}

func check(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errMalformed
	}
	// A stored hash names its own cost; one from an import or a tampered
	// row must not make a login allocate gigabytes or spin for minutes.
	if p.Memory == 0 || p.Memory > maxMemoryKiB || p.Time == 0 || p.Time > maxTime || p.Threads == 0 {
		return false, errMalformed
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, errMalformed
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errMalformed
	}
	if len(want) > 64 {
		return false, errMalformed
	}
	got := deriveKey(pw, salt, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash lets a login for an unknown email cost as much as a real one, so
// response time does not reveal which emails exist. Computed on first use:
// hashing at program start would add its time and memory to every command.
// Limits on the cost a stored hash may ask for (Default is far below).
const (
	maxMemoryKiB = 256 * 1024
	maxTime      = 16
)

// hashSlots bounds the argon2id computations running at once. Each takes
// Default.Memory (19 MiB) and a core, so more at once than there are cores
// buys no throughput, only memory: a burst of logins queues here instead of
// pushing the process past its memory target.
var hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// hashesRunning and hashesPeak let tests see the bound hold.
var hashesRunning, hashesPeak atomic.Int32

// derivations counts every argon2id computation since start.
var derivations atomic.Int64

// Derivations is how many argon2id computations ran since the program
// started: tests see that a failed sign-in paid for one (by what ran, not
// by how long it took).
func Derivations() int64 { return derivations.Load() }

func deriveKey(pw string, salt []byte, p Params, n uint32) []byte {
	derivations.Add(1)
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	now := hashesRunning.Add(1)
	defer func() {
		if hashesRunning.Add(-1) == 0 {
			// The last hash of a burst hands its 19 MiB back to the OS at
			// once instead of leaving it to the background scavenger: the
			// process's resident size stays where its real work needs it.
			go debug.FreeOSMemory()
		}
	}()
	for {
		peak := hashesPeak.Load()
		if now <= peak || hashesPeak.CompareAndSwap(peak, now) {
			break
		}
	}
	return argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, n)
}

var dummyHash = sync.OnceValue(func() string {
	h, _ := Hash("gatehouse-timing-equalizer")
	return h
})

// Equalize burns the time of one check.
func Equalize(pw string) { _, _ = check(dummyHash(), pw) }
