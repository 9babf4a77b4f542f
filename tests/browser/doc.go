// Package browser holds the end-to-end tests that drive the real app in a
// headless Chromium (testkit.NewBrowser). The tests are in browser_test;
// screenshots and failure artifacts go to tests/artifacts (gitignored).
package browser
