package main

import (
	"net/url"
	"reflect"
	"testing"
)

const groupPage = `<html><body>
<form method="post" action="/o/x/settings/groups/9/delete"><input type="hidden" name="_csrf" value="t"><button>Delete</button></form>
<form method="post" action="/o/x/settings/groups/9" hx-post="/o/x/settings/groups/9">
  <input type="hidden" name="_csrf" value="t">
  <input name="name" value="Sales EMEA">
  <textarea name="description">The sales
  team.</textarea>
  <select name="kind"><option value="a">A</option><option value="b" selected>B</option></select>
  <input type="checkbox" name="perm" value="customers_view" checked>
  <input type="checkbox" name="perm" value="customers_edit">
  <input type="checkbox" name="perm" value="billing_view" disabled>
  <input type="checkbox" name="flag" value="customers.canAccessAll" checked>
  <input type="radio" name="field.customers.tax_id" value="" checked>
  <input type="radio" name="field.customers.tax_id" value="read">
  <input type="checkbox" name="remember" checked>
  <button type="submit" name="go" value="1">Save</button>
</form>
<nav><a href="/o/x/settings/members?sort=active">Last active</a>
<a href="/o/x/settings/members">First</a>
<a href="/o/x/settings/members?before=abc&amp;pos=1">Previous</a>
<a href="/o/x/settings/members?after=xyz&amp;pos=51">Next</a>
<a href="/o/x/settings/members?last=1">Last</a></nav>
</body></html>`

func TestFindFormValues(t *testing.T) {
	forms, _ := ParsePage([]byte(groupPage))
	if len(forms) != 2 {
		t.Fatalf("found %d forms, want 2", len(forms))
	}
	f, ok := FindForm(forms, "/o/x/settings/groups/9")
	if !ok {
		t.Fatal("the group form was not found by its action")
	}
	want := url.Values{
		"_csrf": {"t"}, "name": {"Sales EMEA"}, "description": {"The sales\n  team."}, "kind": {"b"},
		"perm": {"customers_view"}, "flag": {"customers.canAccessAll"},
		"field.customers.tax_id": {""}, "remember": {"on"}, // value="" sends ""; no value attribute sends "on"
	}
	if got := f.Values(); !reflect.DeepEqual(got, want) {
		t.Errorf("values\n got %v\nwant %v", got, want)
	}
	if _, ok := FindForm(forms, "/o/x/settings/groups/10"); ok {
		t.Error("a form was found for an action no form has")
	}
}

func TestPagerLinks(t *testing.T) {
	_, links := ParsePage([]byte(groupPage))
	list := "/o/x/settings/members"
	for kind, want := range map[string]string{"next": "after=xyz&pos=51", "prev": "before=abc&pos=1", "last": "last=1"} {
		u := pagerLink(links, list, kind)
		if u == nil || u.RawQuery != want {
			t.Errorf("%s link = %v, want ?%s", kind, u, want)
		}
	}
	if u := pagerLink(links, "/o/other/settings/members", "next"); u != nil {
		t.Errorf("a link of another path was taken: %v", u)
	}
}
