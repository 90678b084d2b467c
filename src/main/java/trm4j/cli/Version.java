package trm4j.cli;

import picocli.CommandLine.IVersionProvider;

final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"trm4j " + (v == null ? "dev" : v) + " (libtorch 2.10 via bytedeco)"};
    }
}
