package dev.adjoint.processor.ir;

import java.util.List;

/**
 * The overload a call resolves to: the method's owner, name and declared parameter types, and its result type. It
 * is the key of the derivative registry ({@code rules.Registry}), so that {@code Math.abs(int)} and
 * {@code Math.abs(double)} are told apart as Java tells them apart.
 *
 * @param owner  the owner's canonical name, e.g. {@code java.lang.Math} or {@code p.Model}
 * @param name   the method's name
 * @param params the overload's parameter types (for {@code Math.round} of an integer, which Java resolves to
 *               {@code round(float)}, the argument's type, since {@code float} is outside the subset; null for a
 *               parameter of a type outside the subset)
 * @param result the overload's result type; null for the JDK's array operations that return nothing
 *               ({@code Arrays.fill}, {@code System.arraycopy}), which are only statements and which lowering
 *               replaces by their loops
 */
public record Callee(String owner, String name, List<Ty> params, Ty result) {
    public Callee {
        // a parameter of a type outside the subset (a user method taking a float) is null
        params = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(params));
    }

    /** @return {@code owner.name(T1, T2)}, for messages */
    public String signature() {
        StringBuilder sb = new StringBuilder(owner).append('.').append(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(params.get(i) == null ? "?" : params.get(i).java());
        }
        return sb.append(')').toString();
    }
}
