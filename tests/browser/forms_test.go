package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// A file over the field's limit is refused at the field before it is
// uploaded, in the server's words; a file within it clears the message.
func TestUploadTooLargeIsRefusedAtTheField(t *testing.T) {
	app := testkit.NewDemoApp(t)
	b := testkit.NewBrowser(t)
	login(t, b, app, demo.OwnerEmail, demo.Password)
	dir := t.TempDir()
	big, small := filepath.Join(dir, "big.png"), filepath.Join(dir, "small.png")
	if err := os.WriteFile(big, make([]byte, 6<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(small, make([]byte, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	b.Navigate(app.URL + "/me/profile")
	b.Do("choose a 6 MB photo", chromedp.SetUploadFiles(chromedp.CSS(`#f-photo`), []string{big}))
	b.WaitText(`#f-photo-size-error`, "larger than 5 MB")
	var valid bool
	b.Eval(`document.querySelector('#f-photo').form.checkValidity()`, &valid)
	if valid {
		t.Fatal("the photo form with a 6 MB file is valid: it would upload")
	}
	b.Do("choose a small photo", chromedp.SetUploadFiles(chromedp.CSS(`#f-photo`), []string{small}))
	var gone bool
	b.Eval(`document.querySelector('#f-photo-size-error') === null && document.querySelector('#f-photo').validity.valid`, &gone)
	if !gone {
		t.Fatal("a small photo still shows the size error")
	}
}

// A form sent twice before its answer comes posts once: the second submit
// never reaches htmx (which would abort the first request in the browser
// after the server got it, and send the second), and the button shows it is
// busy. The customer form is an htmx form.
func TestDoubleSubmitPostsOnce(t *testing.T) {
	app := testkit.NewDemoApp(t)
	b := testkit.NewBrowser(t)
	login(t, b, app, demo.OwnerEmail, demo.Password)
	b.Navigate(app.URL + "/o/acme/customers/new")
	b.Fill(`form input[name="name"]`, "Twice Submitted")
	var busy bool
	b.Eval(`(function () {
		var f = document.querySelector('main form.form');
		var seen = [];
		document.addEventListener('htmx:beforeRequest', function (e) {
			seen.push(e.defaultPrevented);
			sessionStorage.setItem('seen', JSON.stringify(seen));
		});
		f.requestSubmit();
		f.requestSubmit();
		return f.querySelector('button.is-busy') !== null;
	})()`, &busy)
	if !busy {
		t.Error("the customer form's button is not marked busy while it posts")
	}
	b.WaitURL(app.URL + "/o/acme/customers/")
	var seen string
	b.Eval(`sessionStorage.getItem('seen')`, &seen)
	if seen != "[false]" {
		t.Errorf("htmx requests (prevented?) %s, want [false]: the second submit must not reach htmx", seen)
	}
	var n int
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM customers WHERE name = ?`, "Twice Submitted").Scan(&n)
	})
	if n != 1 {
		t.Fatalf("%d customers named Twice Submitted, want 1", n)
	}
}
