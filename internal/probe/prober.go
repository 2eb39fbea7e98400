package probe

import "context"

// Net is the Prober of real networks: each method runs the package function of the same
// name. The zero value is ready to use.
type Net struct{}

// HTTP runs the package function HTTP.
func (Net) HTTP(ctx context.Context, t HTTPTarget) Result { return HTTP(ctx, t) }

// FTPLogin runs the package function FTPLogin.
func (Net) FTPLogin(ctx context.Context, t FTPTarget) Result { return FTPLogin(ctx, t) }

// SMTP runs the package function SMTP.
func (Net) SMTP(ctx context.Context, t SMTPTarget) Result { return SMTP(ctx, t) }
