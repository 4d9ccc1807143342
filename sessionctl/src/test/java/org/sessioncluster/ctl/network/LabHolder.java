package org.sessioncluster.ctl.network;

/**
 * A process that makes a network lab of two members, says "ready" and waits to be killed: what a run killed
 * before its clean-up leaves behind, for {@link NetworkLabIT}.
 */
public final class LabHolder {
    private LabHolder() {}

    public static void main(String[] args) throws InterruptedException {
        NetworkLab lab = NetworkLab.create(new LinkShape(100_000_000, 0));
        lab.member("node-1");
        lab.member("balancer");
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000); // bounded: the test kills it long before
    }
}
