package web_test

import (
	"net/http"
	"testing"

	"gatehouse/internal/testkit"
)

// Assets carry a content tag and revalidate: the same tag answers 304 with
// no body, another tag (an older build's) the file.
func TestStaticAssetsRevalidateByETag(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.Client()
	for _, path := range []string{"/static/css/app.css", "/static/js/app.js"} {
		r := c.Get(path)
		tag := r.Header.Get("ETag")
		if r.Status != http.StatusOK || len(tag) < 10 || r.Header.Get("Cache-Control") != "no-cache" || r.Body == "" {
			t.Fatalf("GET %s: %d, ETag %q, Cache-Control %q, %d bytes; want 200, a tag, no-cache and the file",
				path, r.Status, tag, r.Header.Get("Cache-Control"), len(r.Body))
		}
		again := getIfNoneMatch(c, app.URL+path, tag)
		if again.Status != http.StatusNotModified || again.Body != "" {
			t.Errorf("GET %s with its tag: %d and %d bytes; want 304 and none", path, again.Status, len(again.Body))
		}
		stale := getIfNoneMatch(c, app.URL+path, `"0000"`)
		if stale.Status != http.StatusOK || stale.Body != r.Body {
			t.Errorf("GET %s with another tag: %d; want 200 and the file", path, stale.Status)
		}
	}
	if r := c.Get("/static/css/nope.css"); r.Status != http.StatusNotFound {
		t.Errorf("a missing asset: %d, want 404", r.Status)
	}
}

func getIfNoneMatch(c *testkit.Client, url, tag string) *testkit.Response {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("If-None-Match", tag)
	return c.Do(req)
}
