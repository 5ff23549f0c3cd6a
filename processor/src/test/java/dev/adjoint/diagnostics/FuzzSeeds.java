package dev.adjoint.diagnostics;

import java.util.List;

/**
 * Valid, realistic {@code @Differentiable} programs that {@link DiagnosticsFuzzTest} mutates. Each is a whole
 * compilation unit in package {@code fz} whose class is called {@code $C}; the fuzzer gives every mutant its own
 * class name. Every seed compiles and is differentiated without an error (checked by the fuzz test).
 */
final class FuzzSeeds {
    private FuzzSeeds() {}

    static final List<String> ALL = List.of(
            // 0: polynomial, Horner
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double horner(double[] c, double x) {
                    double s = 0;
                    for (int i = c.length - 1; i >= 0; i--) {
                        s = s * x + c[i];
                    }
                    return s;
                }
            }
            """,
            // 1: Rosenbrock
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double rosenbrock(double x, double y) {
                    double a = 1 - x;
                    double b = y - x * x;
                    return a * a + 100 * b * b;
                }
            }
            """,
            // 2: logistic loss over a data set
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable(wrt = {"w", "b"})
                static double loss(double[] w, double b, double[][] xs, double[] ys) {
                    double total = 0;
                    for (int i = 0; i < xs.length; i++) {
                        double z = b;
                        for (int j = 0; j < w.length; j++) {
                            z += w[j] * xs[i][j];
                        }
                        double p = 1 / (1 + Math.exp(-z));
                        total -= ys[i] * Math.log(p + 1e-12) + (1 - ys[i]) * Math.log(1 - p + 1e-12);
                    }
                    return total / xs.length;
                }
            }
            """,
            // 3: softmax cross entropy with a local copy
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable(wrt = "z")
                static double crossEntropy(double[] z, int label) {
                    double max = z[0];
                    for (double v : z) {
                        max = Math.max(max, v);
                    }
                    double[] e = new double[z.length];
                    double sum = 0;
                    for (int i = 0; i < z.length; i++) {
                        e[i] = Math.exp(z[i] - max);
                        sum += e[i];
                    }
                    return -Math.log(e[label] / sum);
                }
            }
            """,
            // 4: Newton iteration with while and a guard
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                static final int MAX_ITER = 50;
                static final double TOL = 1e-12;

                @Differentiable
                static double cubeRoot(double a) {
                    if (a <= 0) {
                        throw new IllegalArgumentException("a must be positive");
                    }
                    double x = a;
                    int k = 0;
                    while (k < MAX_ITER && Math.abs(x * x * x - a) > TOL) {
                        x = x - (x * x * x - a) / (3 * x * x);
                        k++;
                    }
                    return x;
                }
            }
            """,
            // 5: matrix quadratic form
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double quadratic(double[][] m, double[] v) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        double row = 0;
                        for (int j = 0; j < v.length; j++) {
                            row += m[i][j] * v[j];
                        }
                        s += v[i] * row;
                    }
                    return 0.5 * s;
                }
            }
            """,
            // 6: piecewise with ternaries and Math
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double huber(double r, double delta) {
                    double a = Math.abs(r);
                    return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
                }
            }
            """,
            // 7: do/while, labeled break and continue
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double search(double[] xs, double t) {
                    double acc = 0;
                    outer:
                    for (int i = 0; i < xs.length; i++) {
                        int j = 0;
                        do {
                            if (xs[i] * j > t) {
                                continue outer;
                            }
                            if (acc > 1e6) {
                                break outer;
                            }
                            acc += Math.sin(xs[i]) * t;
                            j++;
                        } while (j < 3);
                    }
                    return acc;
                }
            }
            """,
            // 8: a helper with inactive arguments and int arithmetic
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                static int clamp(int i, int n) {
                    return i < 0 ? 0 : i >= n ? n - 1 : i;
                }

                @Differentiable(wrt = "u")
                static double smooth(double[] u, int width) {
                    double s = 0;
                    int n = u.length;
                    for (int i = 0; i < n; i++) {
                        int l = clamp(i - width, n);
                        int r = clamp(i + width, n);
                        double d = u[r] - u[l];
                        s += d * d / (r - l + 1);
                    }
                    return s;
                }
            }
            """,
            // 9: trigonometry and powers
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double pendulum(double theta, double omega, double g, double len) {
                    double kinetic = 0.5 * len * len * omega * omega;
                    double potential = g * len * (1 - Math.cos(theta));
                    return Math.sqrt(kinetic + potential) + Math.pow(Math.sin(theta / 2), 2) + Math.atan2(omega, g);
                }
            }
            """,
            // 10: time stepping with a local state array
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable(wrt = {"k", "x0"})
                static double decay(double k, double x0, int steps, double dt) {
                    double[] x = new double[steps + 1];
                    x[0] = x0;
                    for (int i = 0; i < steps; i++) {
                        x[i + 1] = x[i] - dt * k * x[i];
                    }
                    return x[steps];
                }
            }
            """,
            // 11: long and boolean parameters, casts
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double mixed(double x, long seed, boolean flip, int[] idx) {
                    long h = seed * 31 + idx.length;
                    double s = (double) (h % 7) * x;
                    if (flip) {
                        s = -s;
                    }
                    int i = (int) (h & 3);
                    return s + x * x * (i + 1);
                }
            }
            """,
            // 12: two methods in one class, one calling a Math-only expression
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double norm(double[] v) {
                    double s = 0;
                    for (int i = 0; i < v.length; i++) {
                        s += v[i] * v[i];
                    }
                    return Math.sqrt(s);
                }

                @Differentiable
                static double dot(double[] a, double[] b) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * b[i];
                    }
                    return s;
                }
            }
            """,
            // 13: a nested class, a constant from another class and var
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                static final class Inner {
                    @Differentiable
                    static double gaussian(double x, double mu, double sigma) {
                        var z = (x - mu) / sigma;
                        return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
                    }
                }
            }
            """,
            // 14: an array initializer, compound assignments, early return
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double spline(double t, double p0, double p1) {
                    double[] w = {1 - t, t};
                    if (t < 0) {
                        return p0;
                    }
                    double y = w[0] * p0;
                    y += w[1] * p1;
                    y *= 1 + 0.1 * Math.tanh(t);
                    y /= 2;
                    return y;
                }
            }
            """,
            // 15: matrix product trace with a local matrix
            """
            package fz;
            import dev.adjoint.Differentiable;
            class $C {
                @Differentiable
                static double traceOfSquare(double[][] a) {
                    int n = a.length;
                    double[][] p = new double[n][n];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            for (int k = 0; k < n; k++) {
                                p[i][j] += a[i][k] * a[k][j];
                            }
                        }
                    }
                    double t = 0;
                    for (int i = 0; i < n; i++) {
                        t += p[i][i];
                    }
                    return t;
                }
            }
            """);
}
