package demo

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"pupns/store"
)

// career is what detail computes for the record: education, gelar, golongan and jabatan history.
type career struct {
	edu          []eduRow
	gelarDepan   []string
	gelarBlk     []string
	startGol     string
	capGol       string
	jftLadder    []rung
	golRows      []store.Row
	jabRows      []store.Row
	currentGol   string
	isStructural bool
}

// rung is one step of a functional ladder: the post, open from golongan minGol.
type rung struct {
	minGol string
	name   string
}

var (
	ladderTeacher  = []rung{{"31", "Guru Ahli Pertama"}, {"33", "Guru Ahli Muda"}, {"41", "Guru Ahli Madya"}}
	ladderNurseD3  = []rung{{"23", "Perawat Terampil"}, {"31", "Perawat Mahir"}, {"33", "Perawat Penyelia"}}
	ladderNurse    = []rung{{"31", "Perawat Ahli Pertama"}, {"33", "Perawat Ahli Muda"}, {"41", "Perawat Ahli Madya"}}
	ladderBidanD3  = []rung{{"23", "Bidan Terampil"}, {"31", "Bidan Mahir"}, {"33", "Bidan Penyelia"}}
	ladderBidan    = []rung{{"31", "Bidan Ahli Pertama"}, {"33", "Bidan Ahli Muda"}, {"41", "Bidan Ahli Madya"}}
	ladderDoctor   = []rung{{"32", "Dokter Ahli Pertama"}, {"33", "Dokter Ahli Muda"}, {"41", "Dokter Ahli Madya"}}
	ladderDentist  = []rung{{"32", "Dokter Gigi Ahli Pertama"}, {"33", "Dokter Gigi Ahli Muda"}, {"41", "Dokter Gigi Ahli Madya"}}
	ladderEngineer = []rung{{"31", "Teknik Jalan dan Jembatan Ahli Pertama"}, {"33", "Teknik Jalan dan Jembatan Ahli Muda"}, {"41", "Teknik Jalan dan Jembatan Ahli Madya"}}
	ladderPlanner  = []rung{{"31", "Perencana Ahli Pertama"}, {"33", "Perencana Ahli Muda"}, {"41", "Perencana Ahli Madya"}}
	ladderAuditor  = []rung{{"31", "Auditor Ahli Pertama"}, {"33", "Auditor Ahli Muda"}, {"41", "Auditor Ahli Madya"}}
	jfuSLTA        = []string{"Pengadministrasi Umum", "Pengadministrasi Kepegawaian", "Pengadministrasi Keuangan", "Pengemudi", "Petugas Keamanan"}
	jfuD3          = []string{"Pengolah Data", "Pengelola Keuangan", "Bendahara", "Pengelola Barang Milik Daerah"}
	jfuS1          = []string{"Analis Kepegawaian", "Analis Data dan Informasi", "Penyusun Program Anggaran dan Pelaporan", "Pengelola Keuangan", "Analis Kebijakan", "Penyusun Laporan Keuangan"}
	eselonIVTitles = []string{"Kepala Sub Bagian Umum dan Kepegawaian", "Kepala Sub Bagian Keuangan", "Kepala Sub Bagian Perencanaan dan Evaluasi"}
	seksiTitles    = []string{"Kepala Seksi Perencanaan dan Program", "Kepala Seksi Pembinaan dan Pengawasan"}
)

// golStep is the golongan after g, in the list order.
func golStep(gol string) string {
	for i, c := range store.Golongan {
		if c.Code == gol && i+1 < len(store.Golongan) {
			return store.Golongan[i+1].Code
		}
	}
	return gol
}

// nextKP is the next regular promotion date (1 April or 1 October) on or after t.
func nextKP(t time.Time) time.Time {
	y := t.Year()
	for _, c := range []time.Time{time.Date(y, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 4, 1, 0, 0, 0, 0, time.UTC)} {
		if !c.Before(t) {
			return c
		}
	}
	return t
}

// skNo makes an SK number in the regional style, e.g. 823.3/1234/2010.
func (g *gen) skNo(kode string, t time.Time) string {
	return fmt.Sprintf("%s/%04d/%d", kode, 1+g.intn(9999), t.Year())
}

// dateBefore is a day minDays to maxDays before t (an SK is signed before its TMT), never after today.
func (g *gen) dateBefore(t time.Time, minDays, maxDays int) time.Time {
	return g.clamp(t.AddDate(0, 0, -g.between(minDays, maxDays)))
}

// career draws education, titles, golongan and jabatan history.
func (g *gen) career(p *person, birthplace, agama string) career {
	var c career
	st := study{g: g, p: p, c: &c}
	st.schools(birthplace, agama)
	switch p.prof {
	case pNurse, pMidwife:
		st.nurse()
	case pDoctor:
		st.doctor()
	default:
		st.staff()
	}
	if p.wantsHead && c.capGol < "42" {
		c.capGol = "42"
	}
	c.edu = slices.DeleteFunc(c.edu, func(e eduRow) bool { return e.year > g.today.Year() })

	g.golongan(p, &c)
	g.jabatan(p, &c)
	return c
}

// golongan builds riwayat golongan: the CPNS golongan (jenis KP 211), then a regular promotion
// (101) about every four years on 1 April or 1 October, up to the cap and never past today.
func (g *gen) golongan(p *person, c *career) {
	gol := c.startGol
	t := p.tmtCPNS
	add := func(t time.Time, gol, kp string) {
		mk := monthIdx(t) - monthIdx(p.tmtCPNS)
		if c.startGol < "31" && gol >= "31" {
			mk -= 5 * 12 // moving from group II to III: masa kerja golongan less five years
		}
		mk = max(mk, 0)
		kode := "823.3"
		if kp == "211" {
			kode = "813.3"
		}
		sk := g.dateBefore(t, 5, 45)
		r := store.Row{ID: "g" + strconv.Itoa(len(c.golRows)+1), Fields: map[string]string{
			"golongan": gol, "tmt_golongan": ymd(t), "jenis_kp": kp, "nomor_sk": g.skNo(kode, t), "tanggal_sk": ymd(sk),
			"mk_tahun": strconv.Itoa(mk / 12), "mk_bulan": strconv.Itoa(mk % 12)}}
		if kp != "211" {
			r.Fields["nomor_pertek"] = fmt.Sprintf("KR.I-%05d/KEP/%d", 1+g.intn(99999), sk.Year())
			r.Fields["tanggal_pertek"] = ymd(g.dateBefore(sk, 10, 40))
		}
		c.golRows = append(c.golRows, r)
	}
	add(t, gol, "211")
	for gol < c.capGol {
		delay := []int{0, 6, 12, 24}[g.weighted(70, 18, 8, 4)]
		next := nextKP(t.AddDate(4, delay, 0))
		if next.After(g.today) {
			break
		}
		gol, t = golStep(gol), next
		add(t, gol, "101")
	}
	c.currentGol = gol
}

// post is one riwayat jabatan row before it becomes a store.Row.
type post struct {
	jenis, name, eselon string
	t                   time.Time
}

// golAt is the golongan of the i-th riwayat golongan row and its TMT.
func (c *career) golAt(i int) (string, time.Time) {
	r := c.golRows[i].Fields
	t, _ := time.Parse("2006-01-02", r["tmt_golongan"])
	return r["golongan"], t
}

// reached is the TMT of the first golongan at or above minGol, if the person got that far.
func (c *career) reached(minGol string) (time.Time, bool) {
	for i := range c.golRows {
		if gol, t := c.golAt(i); gol >= minGol {
			return t, true
		}
	}
	return time.Time{}, false
}

// jabatan builds 1–3 riwayat jabatan rows: the functional ladder (or general jobs) along the
// golongan history, and a structural post for some.
func (g *gen) jabatan(p *person, c *career) {
	var js []post
	if c.jftLadder != nil {
		js = c.functionalPosts(p)
	} else {
		js = g.generalPosts(p, c)
	}
	if p.wantsHead {
		if j, ok := g.headPost(p, c, js); ok {
			js = append(js, j)
			c.isStructural = true
		}
	}
	slices.SortStableFunc(js, func(a, b post) int { return a.t.Compare(b.t) })
	if len(js) > 3 {
		js = js[len(js)-3:]
	}
	for i, j := range js {
		c.jabRows = append(c.jabRows, g.jabatanRow(p, i, i < len(js)-1, j))
	}
}

// functionalPosts climbs the functional ladder as the golongan rises: a new rung whenever the
// golongan reaches it.
func (c *career) functionalPosts(p *person) []post {
	var js []post
	rungAt := -1
	for i := range c.golRows {
		gol, t := c.golAt(i)
		r := -1
		for k, x := range c.jftLadder {
			if gol >= x.minGol {
				r = k
			}
		}
		if r < 0 && i == 0 {
			r = 0
		}
		if r > rungAt {
			if i == 0 {
				t = p.tmtPNS // functional posts are given once PNS
			}
			js = append(js, post{jenis: "2", name: c.jftLadder[r].name, t: t})
			rungAt = r
		}
	}
	return js
}

// generalPosts gives a general job for the entry education, and for some a second one later.
func (g *gen) generalPosts(p *person, c *career) []post {
	var list []string
	switch p.edu {
	case eSLTA:
		list = jfuSLTA
	case eD3:
		list = jfuD3
	default:
		list = jfuS1
	}
	js := []post{{jenis: "4", name: pick(g, list), t: p.tmtCPNS}}
	if len(c.golRows) > 2 && g.chance(35) {
		_, t := c.golAt(1 + g.intn(len(c.golRows)-1))
		if n := pick(g, list); n != js[0].name {
			js = append(js, post{jenis: "4", name: n, t: t})
		}
	}
	return js
}

// headPost finds a structural post for someone who wants one: the unit's head when that is still
// free and the golongan allows it, else a free eselon IV post in the unit. It is installed after
// the golongan was reached and after the last post so far.
func (g *gen) headPost(p *person, c *career, js []post) (post, bool) {
	var title, es string
	var since time.Time
	u := p.unit
	if u.head != "" && !g.heads[u.id] {
		minGol := map[string]string{"22": "41", "31": "41", "32": "34", "41": "33"}[u.eselon]
		if t, ok := c.reached(minGol); ok {
			title, es, since = u.head, u.eselon, t
			g.heads[u.id] = true
		}
	}
	if title == "" {
		list := eselonIVTitles
		if u.skpd != u {
			list = seksiTitles
		}
		for _, cand := range list {
			if g.heads[u.id+"|"+cand] {
				continue
			}
			if t, ok := c.reached("33"); ok {
				title, es, since = cand, "41", t
				g.heads[u.id+"|"+cand] = true
			}
			break
		}
	}
	if title == "" {
		return post{}, false
	}
	lo := monthIdx(since)
	for _, j := range js {
		lo = max(lo, monthIdx(j.t)+1)
	}
	hi := monthIdx(g.today)
	lo = min(lo, hi)
	t := g.clamp(fromMonthIdx(lo + g.intn(hi-lo+1)))
	return post{jenis: "1", name: title, eselon: es, t: t}, true
}

// jabatanRow makes the i-th riwayat jabatan row; an earlier post (not the last) was held in
// another unit of the same kind for some.
func (g *gen) jabatanRow(p *person, i int, earlier bool, j post) store.Row {
	unit := p.unit
	if earlier && g.chance(30) {
		var same []*orgUnit
		for _, u := range g.placeAt {
			if u.kind == p.unit.kind && u != p.unit {
				same = append(same, u)
			}
		}
		if len(same) > 0 {
			unit = pick(g, same)
		}
	}
	sk := g.dateBefore(j.t, 3, 30)
	r := store.Row{ID: "j" + strconv.Itoa(i+1), Fields: map[string]string{
		"jenis_jabatan": j.jenis, "unit_organisasi": g.unitPath(unit), "nama_jabatan": j.name,
		"tmt_jabatan": ymd(j.t), "nomor_sk": g.skNo("821.2", j.t), "tanggal_sk": ymd(sk)}}
	if j.eselon != "" {
		r.Fields["eselon"] = j.eselon
		r.Fields["tmt_pelantikan"] = ymd(g.clamp(j.t.AddDate(0, 0, g.intn(14))))
	}
	return r
}
