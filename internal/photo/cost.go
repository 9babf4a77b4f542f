package photo

import (
	"encoding/binary"
	"image"
	"image/color"
)

// decodeCost estimates the bytes decoding data will allocate, from what
// the header says, before any pixel is decoded.
func decodeCost(kind string, data []byte, cfg image.Config) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	switch kind {
	case "image/jpeg":
		return jpegCost(data, px)
	case "image/png":
		bpp := int64(4)
		switch cfg.ColorModel {
		case color.GrayModel:
			bpp = 1
		case color.Gray16Model:
			bpp = 2
		case color.RGBA64Model, color.NRGBA64Model:
			bpp = 8
		default:
			if _, ok := cfg.ColorModel.(color.Palette); ok {
				bpp = 1
			}
		}
		cost := px * bpp
		// Adam7: each pass is decoded into an image of its own, then merged.
		if len(data) > 28 && data[28] == 1 {
			cost *= 2
		}
		return cost
	case "image/webp":
		switch cfg.ColorModel {
		case color.YCbCrModel:
			return px * 3 / 2 // 4:2:0
		case color.NYCbCrAModel:
			return px * 5 / 2
		}
		// Lossless: ARGB words while decoding, then the NRGBA image.
		return px * 8
	}
	return px * 8
}

// jpegCost reads the frame header: the decoded planes follow the
// components' sampling factors, a progressive frame keeps every
// coefficient (4 bytes per pixel of each plane) until the end, and four
// components (CMYK) are decoded to three planes plus black, then converted.
func jpegCost(data []byte, px int64) int64 {
	progressive, comps := false, [][2]int(nil)
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			break
		}
		m := data[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			break
		}
		seg := data[i+4 : i+2+n]
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE
			if len(seg) >= 6 {
				nc := int(seg[5])
				for c := 0; c < nc && 6+3*c+1 < len(seg); c++ {
					hv := seg[6+3*c+1]
					comps = append(comps, [2]int{int(hv >> 4), int(hv & 15)})
				}
			}
			break
		}
		if m == 0xDA || m == 0xD9 {
			break
		}
		i += 2 + n
	}
	if len(comps) == 0 {
		return px * 16 // unknown layout: assume the worst
	}
	hmax, vmax := 1, 1
	for _, c := range comps {
		hmax, vmax = max(hmax, c[0]), max(vmax, c[1])
	}
	// planes: the decoded bytes per pixel ×16 (fractions of full resolution).
	var planes int64
	for _, c := range comps {
		planes += int64(16 * max(c[0], 1) * max(c[1], 1) / (hmax * vmax))
	}
	cost := px * planes / 16
	if len(comps) == 4 {
		cost += px * 4
	}
	if progressive {
		cost += px * planes * 4 / 16
	}
	return cost
}
