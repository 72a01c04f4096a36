package infra

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Roles are the Cognito groups a user is put in, least to most privileged;
// pkg/auth reads them from the cognito:groups claim.
var Roles = []string{"viewer", "reviewer", "editor", "admin"}

// TenantAttribute is the custom attribute holding a user's tenant; it
// reaches tokens as the custom:tenant claim.
const TenantAttribute = "tenant"

// AuthProps configures [NewAuth].
type AuthProps struct {
	// ThreatProtection selects the Cognito Plus feature plan with threat
	// protection enforced (compromised credentials, adaptive
	// authentication). It is billed per user, so it is opt-in.
	ThreatProtection bool
	// WebOrigins are the origins of the web app (e.g. its CloudFront URL):
	// the hosted UI sends users back to ORIGIN/ after sign-in and sign-out.
	// Without them the app client has no OAuth flow.
	WebOrigins []string
}

// Auth is Bulwark's user directory: a Cognito user pool in which
// administrators create users (no self sign-up), with MFA required, a strong
// password policy, a custom:tenant attribute users cannot change themselves,
// one group per role, and the app client the web app signs in with.
type Auth struct {
	constructs.Construct
	// UserPool is the user directory.
	UserPool awscognito.UserPool
	// Client is the web app's client; its id is the tokens' audience.
	Client awscognito.UserPoolClient
	// Groups are the role groups, by role name.
	Groups map[string]awscognito.UserPoolGroup
	// Domain is the hosted UI's domain (nil without WebOrigins).
	Domain awscognito.UserPoolDomain
}

// NewAuth creates the user pool, its role groups and the web app client.
func NewAuth(scope constructs.Construct, id string, props AuthProps) *Auth {
	c := constructs.NewConstruct(scope, jsii.String(id))
	a := &Auth{Construct: c, Groups: map[string]awscognito.UserPoolGroup{}}
	plan := awscognito.FeaturePlan_ESSENTIALS
	if props.ThreatProtection {
		plan = awscognito.FeaturePlan_PLUS
	}
	upp := &awscognito.UserPoolProps{
		SelfSignUpEnabled: jsii.Bool(false),
		SignInAliases:     &awscognito.SignInAliases{Email: jsii.Bool(true)},
		AutoVerify:        &awscognito.AutoVerifiedAttrs{Email: jsii.Bool(true)},
		StandardAttributes: &awscognito.StandardAttributes{
			Email: &awscognito.StandardAttribute{Required: jsii.Bool(true), Mutable: jsii.Bool(true)},
		},
		CustomAttributes: &map[string]awscognito.ICustomAttribute{
			TenantAttribute: awscognito.NewStringAttribute(&awscognito.StringAttributeProps{
				MinLen: jsii.Number(1), MaxLen: jsii.Number(64), Mutable: jsii.Bool(true),
			}),
		},
		PasswordPolicy: &awscognito.PasswordPolicy{
			MinLength:        jsii.Number(12),
			RequireLowercase: jsii.Bool(true),
			RequireUppercase: jsii.Bool(true),
			RequireDigits:    jsii.Bool(true),
			RequireSymbols:   jsii.Bool(true),
		},
		Mfa:                awscognito.Mfa_REQUIRED,
		MfaSecondFactor:    &awscognito.MfaSecondFactor{Otp: jsii.Bool(true), Sms: jsii.Bool(false)},
		AccountRecovery:    awscognito.AccountRecovery_EMAIL_ONLY,
		FeaturePlan:        plan,
		DeletionProtection: jsii.Bool(true),
		RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
	}
	if props.ThreatProtection {
		upp.StandardThreatProtectionMode = awscognito.StandardThreatProtectionMode_FULL_FUNCTION
	}
	a.UserPool = awscognito.NewUserPool(c, jsii.String("UserPool"), upp)
	if !props.ThreatProtection {
		Suppress(a.UserPool, Suppression{ID: "AwsSolutions-COG8",
			Reason: "Threat protection needs the per-user-billed Plus plan; it is opt-in with the bulwark:cognitoThreatProtection context flag"})
	}

	for i, role := range Roles {
		a.Groups[role] = awscognito.NewUserPoolGroup(c, jsii.String("Group-"+role), &awscognito.UserPoolGroupProps{
			UserPool:    a.UserPool,
			GroupName:   jsii.String(role), // the role name pkg/auth reads from cognito:groups
			Description: jsii.String("Bulwark " + role + "s"),
			Precedence:  jsii.Number(float64(len(Roles) - 1 - i)), // admin first
		})
	}

	// The web app signs in through the hosted UI with the authorization-code
	// flow and PKCE (a public client: no secret).
	var oauth *awscognito.OAuthSettings
	if len(props.WebOrigins) > 0 {
		var urls []string
		for _, o := range props.WebOrigins {
			urls = append(urls, o+"/")
		}
		oauth = &awscognito.OAuthSettings{
			Flows:        &awscognito.OAuthFlows{AuthorizationCodeGrant: jsii.Bool(true)},
			Scopes:       &[]awscognito.OAuthScope{awscognito.OAuthScope_OPENID(), awscognito.OAuthScope_EMAIL(), awscognito.OAuthScope_PROFILE()},
			CallbackUrls: jsii.Strings(urls...),
			LogoutUrls:   jsii.Strings(urls...),
		}
		// The domain prefix must be unique in the Region; the account id
		// makes it so without a hand-picked name, and lets the web stack's
		// CSP name the hosted UI without a reference to this stack
		// ([HostedUIOrigin]).
		a.Domain = a.UserPool.AddDomain(jsii.String("HostedUi"), &awscognito.UserPoolDomainOptions{
			CognitoDomain: &awscognito.CognitoDomainOptions{DomainPrefix: jsii.String(HostedUIDomainPrefix(*awscdk.Aws_ACCOUNT_ID()))},
		})
	}
	a.Client = a.UserPool.AddClient(jsii.String("WebClient"), &awscognito.UserPoolClientOptions{
		GenerateSecret:             jsii.Bool(false), // a browser app cannot keep a secret
		AuthFlows:                  &awscognito.AuthFlow{UserSrp: jsii.Bool(true)},
		DisableOAuth:               jsii.Bool(oauth == nil),
		OAuth:                      oauth,
		SupportedIdentityProviders: &[]awscognito.UserPoolClientIdentityProvider{awscognito.UserPoolClientIdentityProvider_COGNITO()},
		PreventUserExistenceErrors: jsii.Bool(true),
		EnableTokenRevocation:      jsii.Bool(true),
		IdTokenValidity:            awscdk.Duration_Hours(jsii.Number(1)),
		AccessTokenValidity:        awscdk.Duration_Hours(jsii.Number(1)),
		RefreshTokenValidity:       awscdk.Duration_Days(jsii.Number(7)),
		ReadAttributes: awscognito.NewClientAttributes().
			WithStandardAttributes(&awscognito.StandardAttributesMask{Email: jsii.Bool(true), EmailVerified: jsii.Bool(true)}).
			WithCustomAttributes(jsii.String(TenantAttribute)),
		// Users may not write custom:tenant: only administrators assign tenants.
		WriteAttributes: awscognito.NewClientAttributes().
			WithStandardAttributes(&awscognito.StandardAttributesMask{Email: jsii.Bool(true)}),
	})
	return a
}

// HostedUIDomainPrefix is the Cognito domain prefix of the hosted UI in
// account: "bulwark-" and the account id.
func HostedUIDomainPrefix(account string) string { return "bulwark-" + account }

// HostedUIOrigin is the origin of the hosted UI of account in region,
// https://bulwark-ACCOUNT.auth.REGION.amazoncognito.com: the web app sends
// users to its /oauth2/authorize and exchanges codes and refresh tokens at
// its /oauth2/token. account and region may be CDK tokens.
func HostedUIOrigin(account, region string) string {
	return "https://" + HostedUIDomainPrefix(account) + ".auth." + region + ".amazoncognito.com"
}

// Issuer returns the "iss" of the user pool's tokens,
// https://cognito-idp.REGION.amazonaws.com/POOL_ID, which the JWT authorizer
// and the api function both check.
func (a *Auth) Issuer() *string {
	region := awscdk.Stack_Of(a.UserPool).Region()
	return jsii.String("https://cognito-idp." + *region + ".amazonaws.com/" + *a.UserPool.UserPoolId())
}
