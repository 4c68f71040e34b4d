package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Validation of a pod's volumes: unique DNS-label names, exactly one source, source fields. */
final class VolumeValidation {

    /** Every volume source, in the order upstream checks them (so the same one is called the extra). */
    private static final List<String> SOURCES = List.of("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk",
            "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume",
            "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte",
            "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
            "image");
    private static final List<String> HOST_PATH_TYPES = List.of("", "DirectoryOrCreate", "Directory", "FileOrCreate",
            "File", "Socket", "CharDevice", "BlockDevice");
    private static final int MAX_FILE_MODE = 0777;

    private VolumeValidation() {
    }

    /** Validates {@code volumes} and returns the set of valid names, for volume mounts to refer to. */
    static Set<String> validate(List<FieldError> errs, List<ObjectNode> volumes, FieldPath path) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            ObjectNode v = volumes.get(i);
            FieldPath p = path.index(i);
            String name = ObjectTree.textOrEmpty(v, "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p.child("name").toString()));
            } else {
                FieldChecks.dnsLabel(errs, name, p.child("name"));
                if (!names.add(name)) {
                    errs.add(FieldError.duplicate(p.child("name").toString(), name));
                }
            }
            source(errs, v, p);
        }
        return names;
    }

    private static void source(List<FieldError> errs, ObjectNode v, FieldPath path) {
        int count = 0;
        for (String s : SOURCES) {
            if (ObjectTree.has(v, s) && ++count > 1) {
                errs.add(FieldError.forbidden(path.child(s).toString(), "may not specify more than 1 volume type"));
            }
        }
        if (count == 0) {
            errs.add(FieldError.required(path.toString(), "must specify a volume type"));
        }
        ObjectNode configMap = ObjectTree.object(v, "configMap");
        if (configMap != null) {
            FieldChecks.requiredText(errs, configMap, "name", path.child("configMap", "name"));
            keyToPaths(errs, configMap, path.child("configMap"));
        }
        ObjectNode secret = ObjectTree.object(v, "secret");
        if (secret != null) {
            FieldChecks.requiredText(errs, secret, "secretName", path.child("secret", "secretName"));
            keyToPaths(errs, secret, path.child("secret"));
        }
        ObjectNode claim = ObjectTree.object(v, "persistentVolumeClaim");
        if (claim != null) {
            FieldChecks.requiredText(errs, claim, "claimName", path.child("persistentVolumeClaim", "claimName"));
        }
        ObjectNode hostPath = ObjectTree.object(v, "hostPath");
        if (hostPath != null) {
            FieldChecks.requiredText(errs, hostPath, "path", path.child("hostPath", "path"));
            String type = ObjectTree.textOrEmpty(hostPath, "type");
            if (!HOST_PATH_TYPES.contains(type)) {
                errs.add(FieldError.notSupported(path.child("hostPath", "type").toString(), type, HOST_PATH_TYPES));
            }
        }
        for (String withMode : List.of("downwardAPI", "projected")) {
            ObjectNode s = ObjectTree.object(v, withMode);
            if (s != null) {
                fileMode(errs, s, "defaultMode", path.child(withMode, "defaultMode"));
            }
        }
        ObjectNode nfs = ObjectTree.object(v, "nfs");
        if (nfs != null) {
            FieldChecks.requiredText(errs, nfs, "server", path.child("nfs", "server"));
            FieldChecks.requiredText(errs, nfs, "path", path.child("nfs", "path"));
        }
    }

    private static void keyToPaths(List<FieldError> errs, ObjectNode source, FieldPath path) {
        fileMode(errs, source, "defaultMode", path.child("defaultMode"));
        List<ObjectNode> items = ObjectTree.objects(source, "items");
        for (int i = 0; i < items.size(); i++) {
            ObjectNode item = items.get(i);
            FieldPath p = path.child("items").index(i);
            FieldChecks.requiredText(errs, item, "key", p.child("key"));
            String itemPath = ObjectTree.textOrEmpty(item, "path");
            if (itemPath.isEmpty()) {
                errs.add(FieldError.required(p.child("path").toString()));
            } else {
                relativePath(errs, itemPath, p.child("path"));
            }
            fileMode(errs, item, "mode", p.child("mode"));
        }
    }

    private static void fileMode(List<FieldError> errs, ObjectNode parent, String field, FieldPath path) {
        Long mode = ObjectTree.integer(parent, field);
        if (mode != null && (mode < 0 || mode > MAX_FILE_MODE)) {
            errs.add(FieldError.invalid(path.toString(), mode, "must be a number between 0 and 0777 (octal), both inclusive"));
        }
    }

    /** A path inside a volume: relative, without '..' elements. */
    static void relativePath(List<FieldError> errs, String value, FieldPath path) {
        if (value.startsWith("/")) {
            errs.add(FieldError.invalid(path.toString(), value, "must be a relative path"));
        }
        for (String element : value.split("/")) {
            if (element.equals("..")) {
                errs.add(FieldError.invalid(path.toString(), value, "must not contain '..'"));
                break;
            }
        }
    }
}
