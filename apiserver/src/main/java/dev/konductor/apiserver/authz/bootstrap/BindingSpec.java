package dev.konductor.apiserver.authz.bootstrap;

import java.util.List;

/** A ClusterRoleBinding of the bootstrap policy: its role (of the same name unless given) and subjects. */
record BindingSpec(String name, String clusterRole, List<Subject> subjects) {

    /** A User, Group or ServiceAccount (with its namespace). */
    record Subject(String kind, String name, String namespace) {
        static Subject user(String name) {
            return new Subject("User", name, null);
        }

        static Subject group(String name) {
            return new Subject("Group", name, null);
        }

        static Subject serviceAccount(String namespace, String name) {
            return new Subject("ServiceAccount", name, namespace);
        }
    }

    static BindingSpec of(String name, Subject... subjects) {
        return new BindingSpec(name, name, List.of(subjects));
    }
}
