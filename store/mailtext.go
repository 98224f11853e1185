package store

import (
	"errors"
	"fmt"
	"strings"

	"go.etcd.io/bbolt"
)

// mailFooter ends every message: it is written by a machine, and where to act.
const mailFooter = "\nSilakan masuk ke aplikasi PUPNS untuk melihat rinciannya.\n\n" +
	"Pesan ini dikirim otomatis oleh aplikasi PUPNS; mohon tidak membalas e-mail ini.\n"

// mailRecipient reads the PNS's account: the address given at registration and the name to greet.
// A PNS without an account or without an address gets no mail (empty address).
func mailRecipient(tx *bbolt.Tx, nip string) (to, name string, err error) {
	var u User
	if err := getJSON(bk(tx, bUsers), []byte(nip), &u); errors.Is(err, ErrNotFound) {
		return "", "", nil
	} else if err != nil {
		return "", "", err
	}
	name = u.Name
	if name == "" {
		name = "PNS NIP " + nip
	}
	return u.Email, name, nil
}

// lineNote is the note of the line's decision with the verdict in the round (BTS or TMS), "" if none.
func lineNote(l Line, verdict string, round int) string {
	for _, lv := range levelsOf(l) {
		if d, ok := l.Decision(lv, round); ok && d.Verdict == verdict {
			return d.Note
		}
	}
	return ""
}

// enqueueSubmissionMail enqueues, inside the transaction of Forward, the mail that tells the PNS
// where their submission now stands: returned (the BTS lines with their notes), done (what was
// approved, and the TMS lines with their notes) or rejected (every line TMS). Other states mail nothing.
func enqueueSubmissionMail(tx *bbolt.Tx, sub *Submission) error {
	if sub.State != StateReturned && sub.State != StateDone {
		return nil
	}
	to, name, err := mailRecipient(tx, sub.NIP)
	if err != nil || to == "" {
		return err
	}
	m := Mail{NIP: sub.NIP, To: to, Name: name}
	var b strings.Builder
	fmt.Fprintf(&b, "Yth. %s,\n\n", name)
	if sub.State == StateReturned {
		m.Kind = MailReturned
		m.Subject = fmt.Sprintf("PUPNS: usulan #%d dikembalikan untuk diperbaiki", sub.ID)
		fmt.Fprintf(&b, "Usulan perubahan data Anda (nomor #%d) dikembalikan oleh verifikator karena ada data yang belum memenuhi syarat (BTS). Perbaiki baris berikut, lalu kirim kembali usulan Anda:\n\n", sub.ID)
		for _, l := range sub.Lines {
			if l.SentBack(sub.Round) {
				fmt.Fprintf(&b, "- %s\n  Catatan verifikator: %s\n", l.Label, lineNote(l, BTS, sub.Round))
			}
		}
	} else {
		writeDoneMail(&b, &m, sub)
	}
	b.WriteString(mailFooter)
	m.Body = b.String()
	m.MessageID = fmt.Sprintf("<usulan-%d-r%d-%s@pupns>", sub.ID, sub.Rev, m.Kind)
	return enqueueMail(tx, m, sub.UpdatedAt)
}

// writeDoneMail writes the body of a finished submission: approved lines, then TMS lines with notes.
func writeDoneMail(b *strings.Builder, m *Mail, sub *Submission) {
	var ok, tms []Line
	for _, l := range sub.Lines {
		switch l.Result(sub.Round) {
		case Setuju:
			ok = append(ok, l)
		case TMS:
			tms = append(tms, l)
		}
	}
	if len(ok) == 0 && len(tms) > 0 {
		m.Kind = MailRejected
		m.Subject = fmt.Sprintf("PUPNS: usulan #%d ditolak", sub.ID)
		fmt.Fprintf(b, "Usulan perubahan data Anda (nomor #%d) telah selesai diperiksa dan ditolak (TMS: tidak memenuhi syarat). Data induk Anda tidak berubah.\n\n", sub.ID)
	} else {
		m.Kind = MailDone
		m.Subject = fmt.Sprintf("PUPNS: usulan #%d selesai", sub.ID)
		fmt.Fprintf(b, "Usulan perubahan data Anda (nomor #%d) telah selesai diperiksa. Data yang disetujui sudah dicatat dalam data induk:\n\n", sub.ID)
		for _, l := range ok {
			fmt.Fprintf(b, "- %s\n", l.Label)
		}
		if len(tms) > 0 {
			b.WriteString("\nBaris berikut ditolak (TMS: tidak memenuhi syarat):\n\n")
		}
	}
	for _, l := range tms {
		fmt.Fprintf(b, "- %s\n  Catatan verifikator: %s\n", l.Label, lineNote(l, TMS, sub.Round))
	}
}
