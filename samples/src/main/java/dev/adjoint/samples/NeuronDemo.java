package dev.adjoint.samples;

/** Placeholder. */
public final class NeuronDemo {
    private NeuronDemo() {}

    /** @param args unused */
    public static void main(String[] args) {
        System.out.println("demo");
    }
}
