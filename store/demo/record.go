package demo

import (
	"fmt"
	"strconv"
	"strings"

	"pupns/store"
)

// detail draws everything else about a person and returns the master record (wrong fields applied).
// It must be called once per person, in NIP order, for the data to be a function of the seed.
func (g *gen) detail(p *person) store.Record {
	born := p.birth.Year()
	agama := g.agamaFor(p.region)
	nama := g.name(p.region, p.sex, agama, born)
	birthplace := g.birthplace(p.region)
	c := g.career(p, birthplace, agama)

	f := map[string]string{
		"nama":            nama,
		"tempat_lahir":    birthplace,
		"tanggal_lahir":   ymd(p.birth),
		"jenis_kelamin":   p.sex,
		"agama":           agama,
		"tmt_cpns":        ymd(p.tmtCPNS),
		"tmt_pns":         ymd(p.tmtPNS),
		"kedudukan_hukum": "01",
		"jenis_pegawai":   "10",
	}
	if len(c.gelarDepan) > 0 {
		f["gelar_depan"] = strings.Join(c.gelarDepan, " ")
	}
	if len(c.gelarBlk) > 0 {
		f["gelar_belakang"] = strings.Join(c.gelarBlk, ", ")
	}
	f["status_kawin"] = g.statusKawin(g.today.Year() - born)
	a := g.contacts(p, f)
	g.karpeg(p, f)
	g.drawRegNo(p)

	rec := store.Record{
		NIP:        p.nip,
		InstansiID: instansiID,
		UnitID:     p.unit.id,
		Fields:     f,
		Riwayat:    map[string][]store.Row{},
	}
	rec.Riwayat["pendidikan"] = g.pendidikan(c.edu)
	rec.Riwayat["golongan"] = c.golRows
	rec.Riwayat["jabatan"] = c.jabRows
	g.family(p, f, rec.Riwayat, a, agama)
	g.extras(p, f, rec.Riwayat)
	g.mistakes(p, f)
	p.fullName = rec.Name() // as the master has it: the account shows what the office holds
	return rec
}

// statusKawin draws the marital status for someone of this age.
func (g *gen) statusKawin(age int) string {
	switch {
	case age < 26:
		return []string{"4", "1"}[g.weighted(65, 35)]
	case age < 31:
		return []string{"4", "1", "2"}[g.weighted(35, 63, 2)]
	default:
		return []string{"4", "1", "2", "3"}[g.weighted(7, 84, 5, 4)]
	}
}

// contacts draws where the person lives (address, postcode and the NIK of that kecamatan) and how
// to reach them, and returns the area for the family's NIKs.
func (g *gen) contacts(p *person, f map[string]string) homeArea {
	a := g.area()
	f["alamat"] = g.address(a)
	f["kode_pos"] = a.pos
	f["nik"] = "33" + a.kabCode + a.kecCode + store.NIKFor(ymd(p.birth), p.sex) + fmt.Sprintf("%04d", 1+g.intn(2999))
	f["npwp"] = g.npwp()
	f["no_hp"] = g.phone()
	f["email"] = g.email(f["nama"])
	return a
}

// karpeg gives most PNS of three years' service or more a kartu pegawai, of the series of the
// year they became PNS.
func (g *gen) karpeg(p *person, f map[string]string) {
	if years := g.today.Year() - p.tmtCPNS.Year(); years >= 3 && g.chance(80) {
		var series string
		switch y := p.tmtPNS.Year(); {
		case y < 1995:
			series = "E"
		case y < 2002:
			series = "G"
		case y < 2010:
			series = "L"
		case y < 2016:
			series = "N"
		default:
			series = "P"
		}
		f["no_karpeg"] = fmt.Sprintf("%s %06d", series, g.intn(1_000_000))
	}
}

// drawRegNo gives the person a nomor registrasi no one else in the demo has.
func (g *gen) drawRegNo(p *person) {
	p.regNo = store.NewRegNo(g.rng)
	for g.regNos[p.regNo] {
		p.regNo = store.NewRegNo(g.rng)
	}
	g.regNos[p.regNo] = true
}

// pendidikan turns the education drawn into riwayat pendidikan rows, each with its ijazah number.
func (g *gen) pendidikan(edu []eduRow) []store.Row {
	var rows []store.Row
	for i, e := range edu {
		r := store.Row{ID: "p" + strconv.Itoa(i+1), Fields: map[string]string{
			"tingkat": e.tingkat, "nama_sekolah": e.school, "tahun_lulus": strconv.Itoa(e.year),
			"nomor_ijazah": g.ijazahNo(e.tingkat, e.school, e.year)}}
		if e.jurusan != "" {
			r.Fields["jurusan"] = e.jurusan
		}
		rows = append(rows, r)
	}
	return rows
}

// mistakes makes about a third of the master data wrong (never the NIP itself), one to three
// fields each, and notes which in p.wrong.
func (g *gen) mistakes(p *person, f map[string]string) {
	n := 0
	if p.forceWrong || g.chance(33) {
		n = 1 + g.weighted(55, 30, 15)
	}
	p.wrong = nil
	for tries := 0; len(p.wrong) < n && tries < 20; tries++ {
		g.spoil(p, f)
	}
}
