package access

import (
	"fmt"
	"strings"
)

// ProductSet is the set of products an organization has, one bit per product
// in catalog order. Core is always included, whatever the bits say, so the
// zero value means "core only".
type ProductSet uint16

const coreBit ProductSet = 1 // core is product 0 in the catalog

// AllProducts returns the set of every product in the catalog.
func AllProducts() ProductSet { return ProductSet(1)<<len(products) - 1 }

// ParseProducts turns product keys into a set. "core" is allowed and implied;
// duplicates are harmless; an unknown key is an error naming it.
func ParseProducts(keys []string) (ProductSet, error) {
	p := coreBit
	for _, k := range keys {
		i := productIndex(k)
		if i < 0 {
			return 0, fmt.Errorf("unknown product %q", k)
		}
		p |= 1 << i
	}
	return p, nil
}

// ParseStoredProducts reads the comma-separated keys an organization row
// keeps, skipping unknown ones (a product since dropped from the catalog).
// It runs on every request, so it does not allocate.
func ParseStoredProducts(s string) ProductSet {
	p := coreBit
	for s != "" {
		var k string
		k, s, _ = strings.Cut(s, ",")
		if i := productIndex(k); i >= 0 {
			p |= 1 << i
		}
	}
	return p
}

func productIndex(key string) int {
	for i, p := range products {
		if p.Key == key {
			return i
		}
	}
	return -1
}

// Has reports whether the product is in the set (core always is).
func (p ProductSet) Has(key string) bool {
	i := productIndex(key)
	return i >= 0 && (p|coreBit)&(1<<i) != 0
}

// Keys returns the product keys in catalog order, without "core" (which is
// implicit), as stored in the organization and the import format.
func (p ProductSet) Keys() []string {
	out := []string{}
	for i := 1; i < len(products); i++ {
		if p&(1<<i) != 0 {
			out = append(out, products[i].Key)
		}
	}
	return out
}

// HasModule reports whether the module belongs to one of the products.
func (p ProductSet) HasModule(m ModuleID) bool {
	return int(m) < len(cat.prodOf) && (p|coreBit)&(1<<cat.prodOf[m]) != 0
}

// moduleBits is every bit (actions and flags) of the modules of the products.
func (p ProductSet) moduleBits() Set {
	p |= coreBit
	if int(p) < len(cat.prodMasks) {
		return cat.prodMasks[p]
	}
	var mask Set
	for i := range cat.prodBits {
		if p&(1<<i) != 0 {
			mask.add(&cat.prodBits[i])
		}
	}
	return mask
}
