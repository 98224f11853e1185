package demo

import (
	"fmt"
	"strconv"
	"strings"
)

// homeArea is an address area: the kabupaten (with its two-digit code within Jawa Tengah, 33), one
// kecamatan with its code and one kelurahan/desa with its postcode.
type homeArea struct {
	kab, kabCode, kec, kecCode, kel, pos string
	desa                                 bool
}

var homeAreas = []homeArea{
	{"Semarang", "22", "Ungaran Barat", "09", "Langensari", "50517", false},
	{"Semarang", "22", "Bergas", "11", "Karangjati", "50552", true},
	{"Semarang", "22", "Ambarawa", "07", "Lodoyong", "50614", false},
	{"Demak", "21", "Demak", "04", "Bintoro", "59511", false},
	{"Demak", "21", "Mranggen", "10", "Batursari", "59567", true},
	{"Demak", "21", "Sayung", "11", "Sayung", "59563", true},
	{"Kendal", "24", "Kendal", "11", "Langenharjo", "51314", false},
	{"Kendal", "24", "Kaliwungu", "13", "Krajan Kulon", "51372", false},
	{"Kendal", "24", "Weleri", "02", "Penyangkringan", "51355", true},
	{"Boyolali", "09", "Boyolali", "13", "Pulisen", "57316", false},
	{"Boyolali", "09", "Mojosongo", "14", "Mojosongo", "57322", true},
	{"Klaten", "10", "Klaten Tengah", "19", "Kabupaten", "57414", false},
	{"Klaten", "10", "Delanggu", "11", "Delanggu", "57471", true},
	{"Sukoharjo", "11", "Kartasura", "12", "Kartasura", "57169", false},
	{"Sukoharjo", "11", "Grogol", "09", "Madegondo", "57552", true},
	{"Sukoharjo", "11", "Sukoharjo", "04", "Jetis", "57511", false},
	{"Karanganyar", "13", "Colomadu", "17", "Gawanan", "57171", true},
	{"Karanganyar", "13", "Jaten", "06", "Jaten", "57731", true},
	{"Karanganyar", "13", "Karanganyar", "08", "Lalung", "57718", false},
	{"Sragen", "14", "Sragen", "08", "Sragen Wetan", "57214", false},
	{"Pati", "18", "Pati", "16", "Pati Kidul", "59114", false},
	{"Kudus", "19", "Kota Kudus", "03", "Kerjasan", "59315", false},
	{"Kudus", "19", "Jati", "02", "Getas Pejaten", "59343", true},
	{"Magelang", "08", "Mertoyudan", "18", "Banyurojo", "56172", true},
	{"Magelang", "08", "Mungkid", "19", "Sawitan", "56511", false},
	{"Banyumas", "02", "Sokaraja", "19", "Sokaraja Kulon", "53181", true},
	{"Tegal", "28", "Slawi", "09", "Procot", "52411", false},
	{"Purworejo", "06", "Purworejo", "08", "Pangenjurutengah", "54113", false},
	{"Wonogiri", "12", "Wonogiri", "07", "Giripurwo", "57612", false},
	{"Jepara", "20", "Jepara", "05", "Panggang", "59411", false},
	{"Grobogan", "15", "Purwodadi", "11", "Kuripan", "58112", false},
}

var streets = []string{"Jl. Pemuda", "Jl. Diponegoro", "Jl. Jenderal Sudirman", "Jl. Ahmad Yani", "Jl. Pandanaran",
	"Jl. Slamet Riyadi", "Jl. Merpati", "Jl. Kenanga", "Jl. Melati", "Jl. Cempaka", "Jl. Anggrek", "Jl. Mawar",
	"Jl. Kartini", "Jl. Gatot Subroto", "Jl. Veteran", "Jl. Pahlawan", "Jl. Flamboyan Raya", "Jl. Nusantara",
	"Jl. Dr. Sutomo", "Jl. Pattimura", "Jl. Sultan Agung", "Jl. Ki Hajar Dewantara", "Jl. Mangga", "Jl. Durian",
	"Jl. Wijaya Kusuma", "Jl. Teratai", "Perum Bukit Permai Blok C", "Perum Griya Asri Blok F", "Jl. Sawo"}

// area draws where a PNS lives.
func (g *gen) area() homeArea {
	// Most live near Semarang or Surakarta, where the units are.
	if g.chance(55) {
		return homeAreas[g.intn(19)]
	}
	return pick(g, homeAreas)
}

// address draws a street address in the area.
func (g *gen) address(a homeArea) string {
	kel := "Kel. "
	if a.desa {
		kel = "Desa "
	}
	return fmt.Sprintf("%s No. %d, RT %03d/RW %03d, %s%s, Kec. %s, Kab. %s", pick(g, streets), 1+g.intn(120),
		1+g.intn(12), 1+g.intn(9), kel, a.kel, a.kec, a.kab)
}

// phone draws an Indonesian mobile number.
func (g *gen) phone() string {
	pre := pick(g, []string{"0812", "0813", "0821", "0822", "0852", "0853", "0811", "0857", "0858", "0856", "0878", "0877", "0819", "0838", "0895", "0896", "0881"})
	n := 7 + g.intn(2)
	var b strings.Builder
	b.WriteString(pre)
	b.WriteByte(byte('1' + g.intn(9)))
	for i := 1; i < n; i++ {
		b.WriteByte(byte('0' + g.intn(10)))
	}
	return b.String()
}

// digits draws n decimal digits.
func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.intn(10))
	}
	return string(b)
}

// npwp: two-digit type, six-digit serial, check digit, three-digit tax office (KPP in Jawa Tengah) and branch 000.
func (g *gen) npwp() string {
	return pick(g, []string{"07", "08", "09", "24", "25", "36", "44", "45", "46", "47", "49", "58", "66", "67", "68", "69", "71", "72", "73", "75", "77", "79", "81", "86"}) +
		g.digits(7) + pick(g, []string{"502", "503", "504", "505", "508", "511", "512", "513", "514", "517", "524", "526", "527", "528", "532"}) + "000"
}

// email makes a unique address from the name.
func (g *gen) email(nama string) string {
	var parts []string
	for _, w := range strings.Fields(strings.ToLower(nama)) {
		w = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, w)
		if len(w) >= 3 && w != "andi" && w != "br" {
			parts = append(parts, w)
		}
	}
	if len(parts) == 0 {
		parts = []string{"pns"}
	}
	local := parts[0]
	if len(parts) > 1 && g.chance(70) {
		local += pick(g, []string{".", "", "_"}) + parts[len(parts)-1]
	}
	if g.chance(40) || g.emails[local] {
		local += strconv.Itoa(10 + g.intn(90))
	}
	domain := []string{"gmail.com", "yahoo.co.id", "yahoo.com", "jatengprov.go.id"}[g.weighted(62, 14, 9, 15)]
	e := local + "@" + domain
	for g.emails[e] {
		e = local + strconv.Itoa(g.intn(1000)) + "@" + domain
	}
	g.emails[e] = true
	return e
}

// misspell swaps two neighbouring letters of the longest word.
func (g *gen) misspell(n string) string {
	w := strings.Fields(n)
	li := 0
	for i := range w {
		if len(w[i]) > len(w[li]) {
			li = i
		}
	}
	b := []byte(w[li])
	for try := 0; try < 10 && len(b) >= 3; try++ {
		i := 1 + g.intn(len(b)-2)
		if b[i] != b[i+1] && b[i] != '.' && b[i+1] != '.' {
			b[i], b[i+1] = b[i+1], b[i]
			w[li] = string(b)
			return strings.Join(w, " ")
		}
	}
	return n + "h" // a name too short to swap: a stray letter instead
}
