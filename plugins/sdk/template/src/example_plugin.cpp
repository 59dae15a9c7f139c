// The template plugin: emits one example `finding` suggestion, showing logging, progress,
// cancellation, the volume view and the suggestion builder. Replace run() with your model.
#include <consilium_plugin.hpp>

#include <string>

namespace {

class ExamplePlugin : public consilium::sdk::Plugin {
public:
    void run(consilium::sdk::Context& ctx) override {
        ctx.info("template plugin: starting");
        ctx.progress(0.0);

        // The patient arrives as a FHIR R4 Bundle (JSON text); parse it with the library you like.
        const std::size_t context_bytes = ctx.context_json().size();

        std::string seen = "no image series";
        if (auto volume = ctx.volume()) {  // only when plugin.json asks for a volume
            const auto d = volume->dims();
            seen = std::string(volume->modality()) + " series of " + std::to_string(d[0]) + "x" +
                   std::to_string(d[1]) + "x" + std::to_string(d[2]) + " voxels";
        }
        ctx.throw_if_cancelled();  // check now and then in long loops
        ctx.progress(0.5);

        consilium::sdk::Suggestion finding("finding");
        finding.code("http://snomed.info/sct", "118247008", "Radiologic finding")
            .confidence(0.5)
            .summary("Example finding from the Consilium plugin template")
            .rationale("The template emits this finding for every patient (patient context of " +
                       std::to_string(context_bytes) + " bytes, " + seen +
                       "); it demonstrates the output format only.")
            .reference("Consilium plugin guide: suggestions.json schema",
                       "https://example.org/consilium/plugin-guide");
        ctx.emit({finding});

        ctx.progress(1.0);
        ctx.info("template plugin: done");
    }
};

}  // namespace

CONSILIUM_PLUGIN(ExamplePlugin, "org.example.template", "0.1.0", "template-1");
