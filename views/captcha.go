package views

// Captcha is the captcha block: the image, its audio alternative and the refresh.
type Captcha struct {
	ID    string
	Error string
	Len   int // how many digits the image and the sound hold (0: not said)
}
