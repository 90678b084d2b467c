package trm4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import trm4j.api.LoadOptions;
import trm4j.api.Model;
import trm4j.engine.Natives;
import trm4j.serve.Service;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model: a JSON service (/v1/model, /v1/solve, /v1/adapt, /metrics) and a page at / that shows the answer "
                + "after every supervision step of a puzzle you edit.",
                "Loopback only unless --host says otherwise. The model answers one request at a time; --queue more may wait, then "
                + "503 with Retry-After; a request still computing at --timeout is answered 503 and its work stopped. SIGTERM or "
                + "Ctrl-C lets the requests in flight finish, then exits, within --timeout + 10 s whatever the work does."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "a model file (model.safetensors of a run, the run's folder, or a reference checkpoint)") Path checkpoint;
    @Option(names = "--port", defaultValue = "8080", paramLabel = "P", description = "TCP port (default ${DEFAULT-VALUE}; 0: a free one)") int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H", description = "address to listen on (default ${DEFAULT-VALUE}: this machine only)") String host;
    @Option(names = "--queue", defaultValue = "16", paramLabel = "N", description = "requests that may wait for the model (default ${DEFAULT-VALUE})") int queue;
    @Option(names = "--timeout", defaultValue = "60", paramLabel = "S", description = "seconds a request may wait for its answer (default ${DEFAULT-VALUE})") int timeout;
    @Mixin Options.DeviceChoice device;

    @Override
    public Integer call() throws Exception {
        Service.Settings settings = Service.Settings.defaults().on(host, port).withQueue(queue).withTimeout(Duration.ofSeconds(timeout));
        Natives.tuneProcess();
        Model model = Model.load(checkpoint, LoadOptions.defaults().withDevice(device.get().toString()));
        Service.serveUntilSignalled(model, settings, checkpoint.toString(), System.err::println);
        return 0;
    }
}
