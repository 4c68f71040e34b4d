package dev.konductor.proxy.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which Ingresses this controller serves, by IngressClass, and the class it creates. */
final class IngressClassRules {

    static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    /** The annotation that named the class before {@code spec.ingressClassName} existed. */
    static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private IngressClassRules() {
    }

    /**
     * The classes this controller serves: those whose {@code spec.controller} is
     * {@code controllerName}, and {@code className} itself unless a class of that name belongs
     * to another controller.
     */
    static Set<String> servedClasses(List<IngressClass> classes, String className, String controllerName) {
        Set<String> served = new HashSet<>();
        boolean ownNameTaken = false;
        for (IngressClass ingressClass : classes) {
            String controller = ingressClass.getSpec() == null ? null : ingressClass.getSpec().getController();
            String name = ingressClass.getMetadata().getName();
            if (controllerName.equals(controller)) {
                served.add(name);
            } else if (className.equals(name)) {
                ownNameTaken = true;
            }
        }
        if (!ownNameTaken) {
            served.add(className);
        }
        return served;
    }

    /** Whether {@code ingress} is served: its class is one of {@code servedClasses}, or it names none. */
    static boolean serves(Ingress ingress, Set<String> servedClasses) {
        String className = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (className == null || className.isEmpty()) {
            Map<String, String> annotations = ingress.getMetadata().getAnnotations();
            className = annotations == null ? null : annotations.get(LEGACY_CLASS_ANNOTATION);
        }
        return className == null || className.isEmpty() || servedClasses.contains(className);
    }

    /** The class this controller creates when absent: its own, marked the cluster's default. */
    static IngressClass defaultClass(String className, String controllerName) {
        return new IngressClassBuilder()
                .withNewMetadata().withName(className)
                .addToAnnotations(DEFAULT_CLASS_ANNOTATION, "true")
                .addToLabels("app.kubernetes.io/managed-by", "konductor")
                .endMetadata()
                .withNewSpec().withController(controllerName).endSpec()
                .build();
    }
}
