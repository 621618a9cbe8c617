package dev.notify.interfaces.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * How callers prove who they are: an {@code X-API-Key} header (publishers' services) or HTTP Basic
 * (people, and services that prefer it). Wrong credentials are refused even where none are needed;
 * a protected URL without any gets a 401 with a Basic challenge, so that a browser asks for a
 * login. Which role may use which URL is declared in web.xml.
 */
@ApplicationScoped
public class ApiAuthentication implements HttpAuthenticationMechanism {

    public static final String API_KEY_HEADER = "X-API-Key";

    /** The request attribute that tells the error page why the caller was refused. */
    public static final String REFUSAL = "dev.notify.security.refusal";

    private static final String BASIC = "Basic ";

    @Inject
    IdentityStoreHandler identities;

    @Inject
    ConfiguredCallers callers;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String apiKey = request.getHeader(API_KEY_HEADER);
        if (apiKey != null) {
            return callers.isPublisherApiKey(apiKey)
                    ? context.notifyContainerAboutLogin("api-key", Set.of(Roles.PUBLISHER))
                    : refuse(request, response, context, "the " + API_KEY_HEADER + " header holds no valid key");
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            CredentialValidationResult result = identities.validate(basicCredential(authorization.substring(BASIC.length())));
            return result.getStatus() == CredentialValidationResult.Status.VALID
                    ? context.notifyContainerAboutLogin(result)
                    : refuse(request, response, context, "the user name or password is wrong");
        }
        return context.isProtected()
                ? refuse(request, response, context, "this needs a login (HTTP Basic) or, to publish, an "
                + API_KEY_HEADER + " header")
                : context.doNothing();
    }

    private static UsernamePasswordCredential basicCredential(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new UsernamePasswordCredential("", "")
                : new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private static AuthenticationStatus refuse(HttpServletRequest request, HttpServletResponse response,
                                               HttpMessageContext context, String reason) {
        request.setAttribute(REFUSAL, reason);
        response.setHeader("WWW-Authenticate", "Basic realm=\"notify\", charset=\"UTF-8\"");
        return context.responseUnauthorized();
    }
}
