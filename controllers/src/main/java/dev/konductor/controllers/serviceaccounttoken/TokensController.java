package dev.konductor.controllers.serviceaccounttoken;

import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.controllers.framework.ClusterCa;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's serviceaccount-token controller, as it is since legacy tokens stopped being made
 * for every account: a Secret of type {@code kubernetes.io/service-account-token} naming an
 * account in its {@code kubernetes.io/service-account.name} annotation gets a long-lived token
 * for that account, the cluster CA and its namespace (what the dashboard's and many other
 * tutorials rely on). A token Secret whose account is gone, or was replaced by a new account of
 * the same name, is deleted, and with it the token's validity.
 */
public final class TokensController implements Controller {

    private static final Logger log = LoggerFactory.getLogger(TokensController.class);

    private KubernetesClient client;
    private SigningKey key;
    private String rootCa;
    private Lister<Secret> secrets;
    private Lister<ServiceAccount> accounts;
    private ControllerLoop secretLoop;
    private ControllerLoop accountLoop;

    @Override
    public String name() {
        return "serviceaccount-token-controller";
    }

    @Override
    public void start(ControllerContext context) {
        key = context.settings().serviceAccountKey();
        if (key == null || key.privateKey() == null) {
            log.info("{}: no service account key configured; token Secrets stay unfilled", name());
            return;
        }
        client = context.client();
        rootCa = ClusterCa.pemOf(client.getConfiguration()).orElse(null);
        secrets = context.informers().lister(Secret.class);
        accounts = context.informers().lister(ServiceAccount.class);
        secretLoop = new ControllerLoop(name() + "-secrets", this::reconcileSecret, context.settings().workers());
        accountLoop = new ControllerLoop(name() + "-accounts", this::reconcileAccount, context.settings().workers());
        context.informers().of(Secret.class).addEventHandler(Handlers.onAddOrUpdate((Secret s) -> {
            if (TokenSecrets.isTokenSecret(s)) {
                secretLoop.enqueue(Keys.of(s));
            }
        }));
        context.informers().of(ServiceAccount.class).addEventHandler(
                Handlers.onChange((ServiceAccount sa) -> accountLoop.enqueue(Keys.of(sa))));
        secretLoop.start(context.informers()::synced);
        accountLoop.start(context.informers()::synced);
    }

    /** Fills a token Secret, or deletes it when its account is gone. */
    Result reconcileSecret(String key) {
        Optional<Secret> cached = secrets.get(key);
        if (cached.isEmpty() || !TokenSecrets.isTokenSecret(cached.get())) {
            return Result.done();
        }
        Secret secret = cached.get();
        Optional<ServiceAccount> account = account(secret.getMetadata().getNamespace(), TokenSecrets.accountName(secret))
                .filter(sa -> TokenSecrets.belongsTo(secret, sa));
        if (account.isEmpty()) {
            log.info("{}: deleting token secret={} of a service account that no longer exists", name(), key);
            client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
                    .delete();
            return Result.done();
        }
        Optional<Secret> filled = TokenSecrets.filled(secret, account.get(), this.key, rootCa);
        if (filled.isPresent()) {
            // a conflict (the cache was behind) fails the reconcile, which retries with fresh data
            client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(filled.get()).update();
        }
        return Result.done();
    }

    /** An account changed or went away: its token Secrets are looked at again. */
    Result reconcileAccount(String key) {
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        for (Secret secret : secrets.list(namespace)) {
            if (TokenSecrets.isTokenSecret(secret) && name.equals(TokenSecrets.accountName(secret))) {
                secretLoop.enqueue(Keys.of(secret));
            }
        }
        return Result.done();
    }

    /** The account from the cache, or from the API when the cache has not seen it yet. */
    private Optional<ServiceAccount> account(String namespace, String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<ServiceAccount> cached = accounts.get(namespace, name);
        if (cached.isPresent()) {
            return cached;
        }
        return Optional.ofNullable(client.serviceAccounts().inNamespace(namespace).withName(name).get());
    }

    @Override
    public void close() {
        if (secretLoop != null) {
            secretLoop.close();
        }
        if (accountLoop != null) {
            accountLoop.close();
        }
    }
}
