package demo

import (
	"fmt"
	"slices"
	"strconv"

	"pupns/store"
)

var spoilKinds = []string{"npwp", "email", "no_hp", "kode_pos", "nama", "tempat_lahir", "agama", "alamat",
	"tmt_pns", "tanggal_lahir", "nik", "status_kawin", "gelar_belakang"}
var spoilWeights = []int{20, 14, 9, 7, 8, 8, 5, 12, 6, 5, 6, 6, 5}

// spoil makes one master field wrong or empty (each value still valid on its own) and notes it.
func (g *gen) spoil(p *person, f map[string]string) {
	k := spoilKinds[g.weighted(spoilWeights...)]
	if slices.Contains(p.wrong, k) {
		return
	}
	// A wrong NIK and a wrong birth date together could agree with each other by chance.
	if (k == "nik" && slices.Contains(p.wrong, "tanggal_lahir")) || (k == "tanggal_lahir" && slices.Contains(p.wrong, "nik")) {
		return
	}
	switch k {
	case "npwp", "email", "no_hp", "kode_pos":
		delete(f, k)
	case "nama":
		f[k] = g.misspell(f[k])
	case "tempat_lahir":
		old := f[k]
		for f[k] == old {
			f[k] = pick(g, jatengTowns)
		}
	case "agama":
		old := f[k]
		for f[k] == old {
			f[k] = []string{"1", "2", "3", "4", "5"}[g.intn(5)]
		}
	case "alamat":
		a := pick(g, homeAreas)
		f[k] = g.address(a) // an old address: moved since
	case "status_kawin":
		f[k] = map[string]string{"1": "4", "2": "1", "3": "1", "4": "1"}[f[k]]
	case "gelar_belakang":
		if f[k] == "" {
			return
		}
		delete(f, k)
	case "tmt_pns":
		t := p.tmtPNS.AddDate(1, 0, 0)
		if t.After(g.today) {
			t = p.tmtPNS.AddDate(0, -6, 0)
			if !t.After(p.tmtCPNS) {
				return
			}
		}
		f[k] = ymd(t)
	case "tanggal_lahir":
		// Off by a day against the NIP (a typo at the original entry): the NIK still matches the
		// true date, so correcting tanggal_lahir makes everything agree.
		d := 1
		if g.chance(50) {
			d = -1
		}
		f[k] = ymd(p.birth.AddDate(0, 0, d))
	case "nik":
		// The birth-date part disagrees: a woman's NIK without the +40, or the day mistyped.
		nik := []byte(f[k])
		day := int(nik[6]-'0')*10 + int(nik[7]-'0')
		if day > 40 {
			day -= 40
		} else if day < 28 {
			day++
		} else {
			day--
		}
		copy(nik[6:8], fmt.Sprintf("%02d", day))
		f[k] = string(nik)
	}
	p.wrong = append(p.wrong, k)
}

// samples picks about five PNS worth logging in as: the first of the first SKPD with something to
// correct (so the first Level 1 verifier and the operator can act on them), then a teacher, a
// nurse or doctor, and someone whose birth date or NIK disagrees with the NIP, all with mistakes.
func (g *gen) samples(people []*person) []*person {
	var out []*person
	has := func(p *person) bool { return slices.Contains(out, p) }
	// The more there is to correct, and the more of it needs BKN's verification, the better the
	// walk-through: take the best-scoring PNS of each kind (the first among equals).
	score := func(p *person) int {
		n := 0
		for _, k := range p.wrong {
			switch k {
			case "nama", "tanggal_lahir", "nik":
				n += 3
			case "gelar_belakang", "tempat_lahir", "tmt_pns", "agama":
				n += 2
			default:
				n++
			}
		}
		return n
	}
	find := func(ok func(p *person) bool) {
		var best *person
		for _, p := range people {
			if len(p.wrong) > 0 && !has(p) && !p.unregistered && ok(p) && (best == nil || score(p) > score(best)) {
				best = p
			}
		}
		if best != nil {
			out = append(out, best)
		}
	}
	first := g.units[0]
	find(func(p *person) bool { return p.unit.skpd == first })
	find(func(p *person) bool { return p.prof == pTeacher })
	find(func(p *person) bool { return p.prof == pNurse || p.prof == pDoctor || p.prof == pMidwife })
	find(func(p *person) bool {
		return slices.Contains(p.wrong, "tanggal_lahir") || slices.Contains(p.wrong, "nik")
	})
	find(func(p *person) bool { return len(p.wrong) >= 2 })
	for _, p := range people {
		if len(out) >= 5 {
			break
		}
		if !has(p) && !p.unregistered {
			out = append(out, p)
		}
	}
	return out
}

// family adds the spouse (for the married, widowed and divorced) and 0–3 children, consistent
// with the PNS: a spouse of the other sex with a NIK that agrees with their birth date, children
// born after the marriage, the family allowance only where the rules allow it.
func (g *gen) family(p *person, f map[string]string, riw map[string][]store.Row, a homeArea, agama string) {
	kawin := f["status_kawin"]
	if kawin == "4" {
		return
	}
	sex := "2"
	if p.sex == "2" {
		sex = "1"
	}
	born := p.birth.AddDate(g.between(-3, 6)*map[bool]int{true: -1, false: 1}[sex == "1"], g.intn(12), g.intn(28))
	married := g.clamp(p.birth.AddDate(g.between(23, 31), g.intn(12), g.intn(28)))
	if married.Before(born.AddDate(19, 0, 0)) {
		married = born.AddDate(19, g.intn(12), 0)
	}
	if married.After(g.today) {
		married = g.today.AddDate(0, -g.between(1, 24), 0)
	}
	status := map[string]string{"1": "1", "2": "2", "3": "3"}[kawin]
	spouseName := g.name(p.region, sex, agama, born.Year())
	riw["pasangan"] = []store.Row{{ID: "p1", Fields: map[string]string{
		"nama": spouseName, "nik": "33" + a.kabCode + a.kecCode + store.NIKFor(ymd(born), sex) + fmt.Sprintf("%04d", 1+g.intn(2999)),
		"tempat_lahir": g.birthplace(p.region), "tanggal_lahir": ymd(born), "tanggal_menikah": ymd(married),
		"nomor_akta": fmt.Sprintf("%d/%02d/%s/%d", 1+g.intn(900), 1+g.intn(12), pick(g, []string{"KUA", "DKCS"}), married.Year()),
		"status":     status, "pekerjaan": pick(g, []string{"Ibu rumah tangga", "Wiraswasta", "Karyawan swasta", "Guru honorer", "Pedagang", "PNS"}),
		"no_karis": fmt.Sprintf("%s %06d", map[string]string{"1": "KS", "2": "KI"}[sex], g.intn(1_000_000)),
	}}}
	for i := range g.weighted(25, 30, 30, 15) {
		cb := married.AddDate(1+2*i+g.intn(2), g.intn(12), g.intn(28))
		if cb.After(g.today) {
			break
		}
		csex := []string{"1", "2"}[g.intn(2)]
		age := g.today.Year() - cb.Year()
		sekolah := "2"
		if age >= 6 && age < 23 || (age < 25 && g.chance(40)) {
			sekolah = "1"
		}
		tunjangan := "2"
		if i < 2 && (age < 21 || (age < 25 && sekolah == "1")) {
			tunjangan = "1"
		}
		row := store.Row{ID: "a" + strconv.Itoa(i+1), Fields: map[string]string{
			"nama": g.name(p.region, csex, agama, cb.Year()), "jenis_kelamin": csex, "tanggal_lahir": ymd(cb),
			"jenis_anak": "1", "status_hidup": "1", "orang_tua": spouseName, "sekolah": sekolah, "tunjangan": tunjangan}}
		if age >= 17 {
			row.Fields["nik"] = "33" + a.kabCode + a.kecCode + store.NIKFor(ymd(cb), csex) + fmt.Sprintf("%04d", 1+g.intn(2999))
		}
		riw["anak"] = append(riw["anak"], row)
	}
}

// extras adds the diklat, the teacher's or doctor's data and the social data.
func (g *gen) extras(p *person, f map[string]string, riw map[string][]store.Row) {
	for _, j := range riw["jabatan"] {
		if j.Fields["jenis_jabatan"] == "1" && j.Fields["eselon"] != "" && j.Fields["eselon"] != "99" {
			year := j.Fields["tmt_jabatan"][:4]
			jenis := map[string]string{"21": "2", "22": "2", "31": "3", "32": "3"}[j.Fields["eselon"]]
			if jenis == "" {
				jenis = "4"
			}
			riw["diklat_struktural"] = append(riw["diklat_struktural"], store.Row{ID: "d" + strconv.Itoa(len(riw["diklat_struktural"])+1), Fields: map[string]string{
				"jenis_diklat": jenis, "nomor": fmt.Sprintf("%05d/DIKLATPIM/%s", 1+g.intn(99999), year), "tahun": year}})
		}
	}
	for i := range g.intn(4) {
		y := p.tmtCPNS.Year() + 1 + g.intn(max(1, g.today.Year()-p.tmtCPNS.Year()))
		if y > g.today.Year() {
			y = g.today.Year()
		}
		riw["diklat_fungsional"] = append(riw["diklat_fungsional"], store.Row{ID: "d" + strconv.Itoa(i+1), Fields: map[string]string{
			"nama_diklat":   pick(g, []string{"Pelatihan Pengelolaan Keuangan Daerah", "Diklat Teknis Pengadaan Barang/Jasa", "Bimtek Kearsipan", "Pelatihan Pelayanan Prima", "Diklat Penyusunan Angka Kredit"}),
			"penyelenggara": pick(g, []string{"BPSDMD Provinsi Jawa Tengah", "LAN RI", "Kementerian Dalam Negeri", "BKN"}),
			"tahun":         strconv.Itoa(y), "jumlah_jam": strconv.Itoa(24 + 8*g.intn(10))}})
	}
	if jabs := riw["jabatan"]; len(jabs) > 0 {
		last := jabs[len(jabs)-1].Fields["nama_jabatan"]
		switch {
		case store.JabatanIs(last, "guru"):
			f["nuptk"] = g.digits(16)
			if g.chance(70) {
				f["nrg"] = g.digits(12)
			}
			f["mata_pelajaran"] = pick(g, []string{"Matematika", "Bahasa Indonesia", "Bahasa Inggris", "Fisika", "Biologi", "Sejarah", "Pendidikan Jasmani", "Ekonomi"})
			f["jenjang_sekolah"] = pick(g, []string{"3", "4"})
			f["nama_sekolah"] = fmt.Sprintf("%s %d %s", map[string]string{"3": "SMA Negeri", "4": "SMK Negeri"}[f["jenjang_sekolah"]], 1+g.intn(12), pick(g, []string{"Semarang", "Kendal", "Demak", "Ungaran", "Boyolali"}))
		case store.JabatanIs(last, "dokter"):
			f["no_str"] = g.digits(14)
			f["str_berlaku"] = ymd(g.today.AddDate(g.between(0, 4), g.intn(12), 0))
			f["no_sip"] = fmt.Sprintf("503/%04d/SIP/%d", 1+g.intn(9999), g.today.Year()-g.intn(3))
			if p.dentist {
				f["spesialisasi"] = "Kedokteran Gigi"
			} else {
				f["spesialisasi"] = pick(g, []string{"Umum", "Umum", "Penyakit Dalam", "Anak", "Obstetri dan Ginekologi"})
			}
			f["faskes"] = pick(g, []string{"RSUD Tugurejo", "RSJD dr. Amino Gondohutomo", "RSUD dr. Moewardi", "RSUD Kelet"})
		}
	}
	f["taperum"] = []string{"1", "2"}[g.weighted(30, 70)]
	f["kepemilikan_rumah"] = []string{"1", "2", "3", "4"}[g.weighted(60, 20, 5, 15)]
	if g.chance(85) {
		f["no_bpjs"] = "000" + g.digits(10)
	}
	if g.chance(40) {
		f["no_kpe"] = "KPE-" + g.digits(10)
	}
	if g.chance(75) {
		f["no_taspen"] = g.digits(9)
	}
	f["instansi_kerja"] = "Pemerintah Provinsi Jawa Tengah"
	f["lokasi_kerja"] = pick(g, []string{"Kota Semarang", "Kabupaten Semarang", "Kabupaten Kendal", "Kabupaten Demak", "Kabupaten Boyolali"})
}
