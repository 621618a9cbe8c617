package dev.notify.interfaces.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The callers the service knows, from its configuration (NOTIFY_OPERATOR_USER/PASSWORD,
 * NOTIFY_PUBLISHER_USER/PASSWORD, NOTIFY_PUBLISHER_API_KEY): one operator and one publisher login,
 * and one API key for publishers. A caller left unconfigured cannot log in at all.
 */
@ApplicationScoped
public class ConfiguredCallers implements IdentityStore {

    private static final Logger LOG = Logger.getLogger(ConfiguredCallers.class.getName());

    @Inject
    @ConfigProperty(name = "notify.operator.user")
    Optional<String> operatorUser;

    @Inject
    @ConfigProperty(name = "notify.operator.password")
    Optional<String> operatorPassword;

    @Inject
    @ConfigProperty(name = "notify.publisher.user")
    Optional<String> publisherUser;

    @Inject
    @ConfigProperty(name = "notify.publisher.password")
    Optional<String> publisherPassword;

    @Inject
    @ConfigProperty(name = "notify.publisher.api-key")
    Optional<String> publisherApiKey;

    @PostConstruct
    void warnAboutMissingCallers() {
        if (operatorUser.isEmpty() || operatorPassword.isEmpty()) {
            LOG.warning("No operator login is configured (NOTIFY_OPERATOR_USER, NOTIFY_OPERATOR_PASSWORD): "
                    + "the admin API and console refuse everyone");
        }
        if (publisherApiKey.isEmpty() && (publisherUser.isEmpty() || publisherPassword.isEmpty())) {
            LOG.warning("No publisher credential is configured (NOTIFY_PUBLISHER_API_KEY, or NOTIFY_PUBLISHER_USER "
                    + "and NOTIFY_PUBLISHER_PASSWORD): publishing is refused to everyone");
        }
    }

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential login)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        if (matches(operatorUser, login.getCaller()) && matches(operatorPassword, login.getPasswordAsString())) {
            return new CredentialValidationResult(login.getCaller(), Set.of(Roles.OPERATOR));
        }
        if (matches(publisherUser, login.getCaller()) && matches(publisherPassword, login.getPasswordAsString())) {
            return new CredentialValidationResult(login.getCaller(), Set.of(Roles.PUBLISHER));
        }
        return CredentialValidationResult.INVALID_RESULT;
    }

    /** The publisher's API key, checked in constant time. */
    boolean isPublisherApiKey(String key) {
        return matches(publisherApiKey, key);
    }

    private static boolean matches(Optional<String> configured, String given) {
        return configured.isPresent() && given != null && MessageDigest.isEqual(
                configured.get().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
