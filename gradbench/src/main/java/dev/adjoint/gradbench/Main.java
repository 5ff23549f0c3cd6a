package dev.adjoint.gradbench;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.BufferedOutputStream;

/**
 * {@code java -jar gradbench/target/adjoint-gradbench.jar}: Adjoint as a GradBench tool (docs/GRADBENCH.md). Reads
 * GradBench's messages on stdin and answers on stdout; logs go to stderr.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        // stdout carries JSON only: whatever else prints (System.out included) goes to stderr
        OutputStream json = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(System.err);
        int status = new Tool(Evals.all(), Tool.Settings.fromProperties(), System.err).serve(System.in, json);
        json.flush();
        if (status != 0) {
            System.exit(status);
        }
    }
}
