package dev.konductor.apiserver.printers;

/** A kind in a group, any version: printers are chosen by this, as upstream prints internal types. */
record GroupKind(String group, String kind) {
}
