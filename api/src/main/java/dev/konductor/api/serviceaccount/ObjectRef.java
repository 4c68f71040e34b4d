package dev.konductor.api.serviceaccount;

/** The name and uid of an object a token names: its service account, or what it is bound to. */
public record ObjectRef(String name, String uid) {

    public ObjectRef {
        name = name == null ? "" : name;
        uid = uid == null ? "" : uid;
    }
}
