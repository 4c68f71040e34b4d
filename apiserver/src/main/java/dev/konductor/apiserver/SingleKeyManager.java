package dev.konductor.apiserver;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager holding one key and its certificate chain, offered whenever the key's algorithm
 * is one the handshake accepts.
 *
 * <p>The JDK's way to the same, a PKCS12 key store behind a {@code KeyManagerFactory}, protects the
 * key in memory with PBKDF2 (10,000 HMAC rounds to store it, as many to read it back): a tenth of
 * a second or more of interpreted crypto, paid at every start of the API server and of
 * {@code konductor up}, for a key that never leaves the process.
 */
public final class SingleKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "key";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    public SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    private String aliasFor(String... keyTypes) {
        if (keyTypes == null) {
            return null;
        }
        for (String keyType : keyTypes) {
            if (key.getAlgorithm().equalsIgnoreCase(keyType)) {
                return ALIAS;
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
