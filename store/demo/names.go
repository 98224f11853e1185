package demo

import (
	"slices"
	"strings"
)

const (
	rJawa = iota
	rSunda
	rBatak
	rMinang
	rBugis
	rBali
	rTionghoa
)

var regionWeights = []int{78, 5, 4, 3, 2, 3, 5}

var (
	jawaMale = []string{"Agus", "Bambang", "Budi", "Joko", "Slamet", "Heru", "Eko", "Dwi", "Tri", "Wahyu", "Teguh",
		"Hadi", "Sugeng", "Dedi", "Edy", "Hari", "Rudi", "Bayu", "Dimas", "Aditya", "Rizky", "Fajar", "Arif", "Yoga",
		"Galih", "Anang", "Catur", "Didik", "Imam", "Muhammad", "Ahmad", "Nur", "Sigit", "Wawan", "Yudi", "Bagus",
		"Danang", "Gilang", "Hendro", "Iwan", "Kukuh", "Rahmat", "Setyo", "Totok", "Yusuf", "Andreas", "Wisnu"}
	jawaMaleLast = []string{"Santoso", "Prasetyo", "Wibowo", "Nugroho", "Susilo", "Hartono", "Purnomo", "Setiawan",
		"Kurniawan", "Saputra", "Hidayat", "Wijaya", "Sutrisno", "Widodo", "Suryanto", "Haryanto", "Supriyadi",
		"Raharjo", "Mulyono", "Sulistyo", "Pamungkas", "Utomo", "Wicaksono", "Nugraha", "Hermawan", "Prabowo",
		"Saputro", "Firmansyah", "Setyawan", "Triyono", "Sunaryo", "Darmawan", "Kuncoro", "Riyadi", "Purwanto"}
	jawaMaleOld = []string{"Sutrisno", "Suparman", "Sukardi", "Suwarno", "Sumarno", "Sugiyono", "Purwanto",
		"Mulyadi", "Sarwono", "Karyadi", "Suharto", "Sunardi", "Parjono", "Tukiman", "Wagiman"}
	jawaFemale = []string{"Sri", "Siti", "Dewi", "Endang", "Rina", "Tri", "Dwi", "Wulan", "Ratna", "Yuni", "Nur",
		"Ika", "Eka", "Anik", "Retno", "Sari", "Fitri", "Ayu", "Dian", "Diah", "Novi", "Putri", "Rini", "Tutik",
		"Umi", "Wiwik", "Yulia", "Nanik", "Erna", "Indah", "Kartika", "Maya", "Ratih", "Puji", "Lina", "Anisa"}
	jawaFemaleLast = []string{"Wahyuni", "Susilowati", "Lestari", "Kusumawati", "Handayani", "Rahayu",
		"Purwaningsih", "Setyaningsih", "Yuliani", "Astuti", "Suryani", "Wulandari", "Rahmawati", "Kurniasih",
		"Pratiwi", "Utami", "Maharani", "Hastuti", "Sulistyowati", "Widyastuti", "Ningsih", "Anggraini",
		"Puspitasari", "Nurhayati", "Mulyani", "Susanti", "Haryati", "Permatasari", "Aminah", "Fatimah"}
	jawaFemaleOld = []string{"Sumiyati", "Suharti", "Sukarsih", "Partini", "Sunarsih", "Tumini", "Ngatini",
		"Sriyati", "Suwarni", "Mujiyati", "Sumarni", "Painem"}
	baptisMale   = []string{"Yohanes", "Antonius", "Fransiskus", "Yosef", "Petrus", "Paulus", "Ignatius", "Stefanus", "Benediktus", "Agustinus"}
	baptisFemale = []string{"Maria", "Theresia", "Anastasia", "Bernadeta", "Agnes", "Veronika", "Yuliana", "Caecilia", "Fransiska", "Margaretha"}
	kristenMale  = []string{"Daniel", "Yosua", "Samuel", "Timotius", "Yakobus", "Markus", "Matius"}
	kristenFem   = []string{"Debora", "Ruth", "Ester", "Lidia", "Miryam", "Naomi", "Hana"}

	sundaMale      = []string{"Asep", "Ujang", "Dede", "Cecep", "Dadang", "Yayan", "Ade", "Iwan", "Deden", "Dodi", "Rahmat", "Usep", "Wawan", "Encep", "Nandang"}
	sundaMaleLast  = []string{"Sunarya", "Permana", "Hidayat", "Kusnadi", "Sudrajat", "Suryadi", "Saepudin", "Supriatna", "Gunawan", "Ruhiyat", "Sopandi", "Mulyana", "Setiadi", "Nugraha"}
	sundaFemale    = []string{"Euis", "Neneng", "Iis", "Imas", "Yeni", "Lilis", "Rina", "Tati", "Cucu", "Enok", "Nina", "Elis", "Wiwin", "Nining"}
	sundaFemLast   = []string{"Nurhasanah", "Rohaeti", "Komalasari", "Sumiati", "Herawati", "Rosmiati", "Nurlela", "Kurniasih", "Rosdiana", "Sulastri", "Juariah", "Maryani"}
	batakMale      = []string{"Togar", "Parulian", "Hotman", "Sahat", "Martua", "Binsar", "Robert", "Johnson", "Daniel", "Hendra", "Rudolf", "Benny", "Poltak", "Bonar", "Marihot", "Rinaldi"}
	batakFemale    = []string{"Tiurma", "Lamtiar", "Rotua", "Martha", "Rosmawati", "Friska", "Evi", "Debora", "Lusiana", "Roslina", "Sondang", "Hotmaida", "Rumiris"}
	batakMuslimM   = []string{"Ahmad", "Muhammad", "Syahrul", "Rizal", "Irwan", "Zulkarnain", "Hasan", "Ismail"}
	batakMuslimF   = []string{"Nurhayati", "Rahmah", "Fitriani", "Khairani", "Nurul", "Aisyah"}
	margaKristen   = []string{"Simanjuntak", "Sitompul", "Hutapea", "Pardede", "Sinaga", "Simatupang", "Tampubolon", "Panjaitan", "Situmorang", "Manurung", "Napitupulu", "Sihombing", "Hutagalung", "Silaban"}
	margaMuslim    = []string{"Nasution", "Harahap", "Lubis", "Siregar", "Daulay", "Hasibuan", "Rangkuti", "Pulungan"}
	minangMale     = []string{"Afrizal", "Zulkifli", "Yusrizal", "Hendri", "Syafrizal", "Irwan", "Fadli", "Defri", "Yulizar", "Erizal", "Alfian", "Masrizal", "Zulfahmi", "Ridwan"}
	minangMaleLast = []string{"", "", "Chaniago", "Tanjung", "Piliang", "Koto", "Sikumbang", "Syamsuddin", "Hamid", "Rasyid"}
	minangFemale   = []string{"Yeni", "Fitri", "Rahmi", "Nelfi", "Desi", "Elfi", "Yusnidar", "Mardiah", "Nofrita", "Rosnida", "Yulia", "Wirda"}
	minangFemLast  = []string{"", "Marlina", "Yanti", "Yenti", "Ratnasari", "Suryani", "Roza", "Elfina", "Hasanah", "Febrianti"}
	bugisMale      = []string{"Muhammad Arif", "Baharuddin", "Syamsul Alam", "Jusman", "Ahmad Rivai", "Muhammad Yusuf", "Syahrir", "Amiruddin", "Nasrullah", "Hasanuddin", "Irfan", "Abdul Rahman", "Arifin Nur", "Rusdi"}
	bugisFemale    = []string{"Nurhayati", "Hasnah", "Nurmala", "Sitti Rahmah", "Hasriani", "Nurhaedah", "Rosmini", "Hajrah", "Sumarni", "Nurfadillah", "Harlina", "Sitti Aisyah"}
	baliOrder      = []string{"Wayan", "Putu", "Gede", "Made", "Kadek", "Nyoman", "Komang", "Ketut"}
	baliOrderF     = []string{"Wayan", "Putu", "Luh", "Luh Putu", "Made", "Kadek", "Nyoman", "Komang", "Ketut"}
	baliMale       = []string{"Sudarsana", "Suartana", "Adnyana", "Wirawan", "Suardana", "Arsana", "Sukadana", "Mertha", "Budiarta", "Darmawan", "Suarjaya", "Widiana"}
	baliFemale     = []string{"Sri Artini", "Ayu Lestari", "Suarni", "Sukerti", "Widiastuti", "Kartini", "Ariani", "Sudiartini", "Murniasih", "Puspawati", "Rai Astuti"}
	chinaMale      = []string{"Hendra", "Yohanes", "Ferry", "Kevin", "Rudy", "Steven", "Handoko", "Edward", "William", "Sugianto", "Teddy", "Hartono", "Budi"}
	chinaFemale    = []string{"Lily", "Susanti", "Linda", "Wenny", "Melinda", "Yenny", "Lanny", "Meiliana", "Fenny", "Cynthia", "Jessica", "Vivian", "Natalia"}
	chinaLast      = []string{"Gunawan", "Halim", "Salim", "Sutanto", "Wijaya", "Tanoto", "Tanuwidjaja", "Kurniawan", "Setiadi", "Santoso", "Tjahjadi", "Susanto", "Hartanto", "Kusuma", "Liem", "Wibisono"}

	jatengTowns = []string{"Semarang", "Surakarta", "Magelang", "Salatiga", "Pekalongan", "Tegal", "Kudus", "Pati",
		"Jepara", "Demak", "Kendal", "Boyolali", "Klaten", "Sukoharjo", "Wonogiri", "Karanganyar", "Sragen",
		"Grobogan", "Blora", "Rembang", "Temanggung", "Wonosobo", "Purworejo", "Kebumen", "Purwokerto", "Cilacap",
		"Banjarnegara", "Purbalingga", "Batang", "Pemalang", "Brebes", "Ungaran", "Ambarawa"}
	regionTowns = [][]string{
		rSunda:    {"Bandung", "Garut", "Tasikmalaya", "Cirebon", "Sumedang", "Ciamis", "Kuningan"},
		rBatak:    {"Medan", "Tarutung", "Pematangsiantar", "Sibolga", "Balige", "Padangsidimpuan"},
		rMinang:   {"Padang", "Bukittinggi", "Payakumbuh", "Solok", "Padang Panjang"},
		rBugis:    {"Makassar", "Watampone", "Parepare", "Sengkang", "Sinjai"},
		rBali:     {"Denpasar", "Tabanan", "Gianyar", "Singaraja", "Klungkung"},
		rTionghoa: {"Semarang", "Surakarta", "Magelang", "Kudus", "Pekalongan", "Tegal", "Jakarta"},
	}
)

// agamaFor draws a religion plausible for the region.
func (g *gen) agamaFor(region int) string {
	switch region {
	case rJawa:
		return []string{"1", "2", "3"}[g.weighted(88, 6, 6)]
	case rSunda:
		return []string{"1", "2"}[g.weighted(97, 3)]
	case rBatak:
		return []string{"2", "3", "1"}[g.weighted(60, 15, 25)]
	case rMinang, rBugis:
		return "1"
	case rBali:
		return []string{"4", "1", "2"}[g.weighted(94, 3, 3)]
	case rTionghoa:
		return []string{"5", "2", "3", "6"}[g.weighted(35, 30, 25, 10)]
	}
	return "1"
}

// name draws a full name plausible for the region, sex, religion and birth year.
func (g *gen) name(region int, sex, agama string, born int) string {
	if n, ok := g.regionalName(region, sex == "2", agama); ok {
		return n
	}
	return g.javaneseName(sex == "2", agama, born)
}

// regionalName draws a Sundanese, Batak, Minang, Bugis, Balinese (Hindu) or Chinese-Indonesian
// name; ok is false for everyone else, who gets a Javanese name.
func (g *gen) regionalName(region int, f bool, agama string) (string, bool) {
	switch region {
	case rSunda:
		if f {
			return pick(g, sundaFemale) + " " + pick(g, sundaFemLast), true
		}
		return pick(g, sundaMale) + " " + pick(g, sundaMaleLast), true
	case rBatak:
		marga := pick(g, margaKristen)
		given := pick(g, batakMale)
		if f {
			given = pick(g, batakFemale)
		}
		if agama == "1" {
			marga = pick(g, margaMuslim)
			given = pick(g, batakMuslimM)
			if f {
				given = pick(g, batakMuslimF)
			}
		}
		if f && g.chance(40) {
			return given + " br. " + marga, true
		}
		return given + " " + marga, true
	case rMinang:
		if f {
			return strings.TrimSpace(pick(g, minangFemale) + " " + pick(g, minangFemLast)), true
		}
		return strings.TrimSpace(pick(g, minangMale) + " " + pick(g, minangMaleLast)), true
	case rBugis:
		n := pick(g, bugisMale)
		if f {
			n = pick(g, bugisFemale)
		}
		if g.chance(25) {
			n = "Andi " + n
		}
		return n, true
	case rBali:
		if agama != "4" {
			return "", false
		}
		if f {
			if g.chance(12) {
				return pick(g, []string{"Ida Ayu", "I Gusti Ayu", "Anak Agung Istri"}) + " " + pick(g, baliFemale), true
			}
			return "Ni " + pick(g, baliOrderF) + " " + pick(g, baliFemale), true
		}
		if g.chance(12) {
			return pick(g, []string{"Ida Bagus", "I Gusti Ngurah", "Anak Agung Gede"}) + " " + pick(g, baliMale), true
		}
		return "I " + pick(g, baliOrder) + " " + pick(g, baliMale), true
	case rTionghoa:
		if f {
			if g.chance(20) {
				return pick(g, chinaFemale), true
			}
			return pick(g, chinaFemale) + " " + pick(g, chinaLast), true
		}
		return pick(g, chinaMale) + " " + pick(g, chinaLast), true
	}
	return "", false
}

// javaneseName draws a Javanese name (also for the few Balinese who are not Hindu), with a
// baptismal or Christian first name for some Catholics and Protestants.
func (g *gen) javaneseName(f bool, agama string, born int) string {
	var n string
	switch {
	case born < 1975 && g.chance(25):
		n = pick(g, jawaMaleOld)
		if f {
			n = pick(g, jawaFemaleOld)
		}
	case f:
		n = pick(g, jawaFemale) + " " + pick(g, jawaFemaleLast)
		if g.chance(15) {
			n = pick(g, jawaFemale) + " " + n
		}
	default:
		n = pick(g, jawaMale) + " " + pick(g, jawaMaleLast)
		if g.chance(15) {
			n = pick(g, jawaMale) + " " + n
		}
	}
	switch agama {
	case "3":
		if f {
			n = pick(g, baptisFemale) + " " + n
		} else {
			n = pick(g, baptisMale) + " " + n
		}
	case "2":
		if g.chance(50) {
			if f {
				n = pick(g, kristenFem) + " " + n
			} else {
				n = pick(g, kristenMale) + " " + n
			}
		}
	}
	// Two identical words ("Tri Tri Lestari") read like a typo: drop the repeat.
	w := strings.Fields(n)
	w = slices.Compact(w)
	return strings.Join(w, " ")
}

// birthplace draws a town of birth plausible for the region.
func (g *gen) birthplace(region int) string {
	if region == rJawa {
		switch g.weighted(86, 10, 4) {
		case 0:
			return pick(g, jatengTowns)
		case 1:
			return pick(g, []string{"Yogyakarta", "Sleman", "Bantul", "Kulon Progo", "Gunungkidul"})
		default:
			return pick(g, []string{"Jakarta", "Surabaya", "Madiun", "Ngawi"})
		}
	}
	if region != rTionghoa && g.chance(20) { // born where their parents worked
		return pick(g, jatengTowns)
	}
	return pick(g, regionTowns[region])
}
