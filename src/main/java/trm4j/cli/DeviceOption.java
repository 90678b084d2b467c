package trm4j.cli;

import picocli.CommandLine.Option;

import trm4j.engine.Device;

/** {@code --device}, shared by the commands that load a model outside a run's preset (eval, solve) and the benchmarks. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "D", defaultValue = "cpu", description = "cpu (default), or cuda / cuda:N with the GPU build (docs/ENGINE.md)")
    String device;

    /** The device; one this build or machine lacks is one line. */
    Device get() {
        return Device.parse(device, "--device").available("--device");
    }
}
