#include "fhir_mapping.h"

#include "consilium/decision/clinical_time.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace consilium::decision::fhir {
namespace {

std::string member_path(const std::string& base, const char* key) { return base.empty() ? key : base + "." + key; }

Coding first_coding(const Json* codeable, const Place& at, const std::string& path) {
    Coding c;
    if (!codeable) return c;
    if (auto codings = array(*codeable, "coding", at, path)) {
        for (std::size_t i = 0; i < codings->size(); ++i) {
            const Json& coding = (*codings)[i];
            std::string p = path + ".coding[" + std::to_string(i) + "]";
            if (!coding.is_object()) at.fail(p, std::string("expected an object, found ") + type_name(coding));
            if (i == 0) {
                c.system = string(coding, "system", at, p).value_or("");
                c.code = string(coding, "code", at, p).value_or("");
                c.display = string(coding, "display", at, p).value_or("");
            }
        }
    }
    auto text = string(*codeable, "text", at, path);
    if (c.display.empty() && text) c.display = *text;
    return c;
}

Coding concept_at(const Json& r, const char* key, const Place& at) {
    return first_coding(object(r, key, at, ""), at, key);
}

// The first element of an array of CodeableConcepts (Encounter.type, ImagingStudy.procedureCode).
Coding first_concept_in(const Json& r, const char* key, const Place& at) {
    auto list = array(r, key, at, "");
    if (!list || list->empty()) return {};
    const Json& first = (*list)[0];
    std::string p = std::string(key) + "[0]";
    if (!first.is_object()) at.fail(p, std::string("expected an object, found ") + type_name(first));
    return first_coding(&first, at, p);
}

struct Period {
    std::optional<std::string> start, end;
};

Period period(const Json& r, const char* key, const Place& at) {
    Period p;
    if (auto obj = object(r, key, at, "")) {
        p.start = time(*obj, "start", at, key);
        p.end = time(*obj, "end", at, key);
    }
    return p;
}

// FHIR choice types: the first of `dateTime`/`Period`/`instant` variants present.
Period effective(const Json& r, const char* base, const Place& at) {
    std::string b(base);
    if (auto t = time(r, (b + "DateTime").c_str(), at, "")) return {t, std::nullopt};
    auto p = period(r, (b + "Period").c_str(), at);
    if (p.start || p.end) return p;
    if (auto t = time(r, (b + "Instant").c_str(), at, "")) return {t, std::nullopt};
    return {};
}

std::string format_number(double v, int digits = 10) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

// value[x] of an Observation or component into number/text/unit.
void read_value(const Json& r, const Place& at, const std::string& path, std::optional<double>& num,
                std::optional<std::string>& text, std::optional<std::string>& unit) {
    if (auto q = object(r, "valueQuantity", at, path)) {
        std::string p = member_path(path, "valueQuantity");
        num = number(*q, "value", at, p);
        unit = string(*q, "unit", at, p);
        if (!unit) unit = string(*q, "code", at, p);
        string(*q, "system", at, p);
        if (auto comparator = string(*q, "comparator", at, p); comparator && num)
            text = *comparator + format_number(*num);
        return;
    }
    if (auto cc = object(r, "valueCodeableConcept", at, path)) {
        auto c = first_coding(cc, at, member_path(path, "valueCodeableConcept"));
        text = c.display.empty() ? c.code : c.display;
        return;
    }
    if (auto s = string(r, "valueString", at, path)) {
        text = s;
        return;
    }
    if (auto b = boolean(r, "valueBoolean", at, path)) {
        text = *b ? "true" : "false";
        return;
    }
    if (auto i = number(r, "valueInteger", at, path)) {
        num = i;
        return;
    }
    if (auto t = string(r, "valueDateTime", at, path)) {
        text = t;
        return;
    }
}

// What a clinician reads beside an allergy: "food, criticality high; Anaphylaxis (severe)".
std::optional<std::string> allergy_detail(const Json& r, const Place& at) {
    std::string text;
    if (auto categories = array(r, "category", at, ""))
        for (std::size_t i = 0; i < categories->size(); ++i)
            if ((*categories)[i].is_string()) text += (text.empty() ? "" : "/") + (*categories)[i].get<std::string>();
    if (auto criticality = string(r, "criticality", at, ""))
        text += (text.empty() ? "" : ", ") + std::string("criticality ") + *criticality;
    if (auto reactions = array(r, "reaction", at, "")) {
        std::string seen;
        for (std::size_t i = 0; i < reactions->size(); ++i) {
            const Json& reaction = (*reactions)[i];
            const std::string path = "reaction[" + std::to_string(i) + "]";
            if (!reaction.is_object()) at.fail(path, std::string("expected an object, found ") + type_name(reaction));
            auto manifestations = array(reaction, "manifestation", at, path);
            if (!manifestations) continue;
            for (std::size_t j = 0; j < manifestations->size(); ++j) {
                const Json& mf = (*manifestations)[j];
                const std::string mp = path + ".manifestation[" + std::to_string(j) + "]";
                if (!mf.is_object()) at.fail(mp, std::string("expected an object, found ") + type_name(mf));
                auto c = first_coding(&mf, at, mp);
                std::string name = c.display.empty() ? c.code : c.display;
                if (auto severity = string(reaction, "severity", at, path)) name += " (" + *severity + ")";
                if (!name.empty()) seen += (seen.empty() ? "" : ", ") + name;
            }
        }
        if (!seen.empty()) text += (text.empty() ? "" : "; ") + seen;
    }
    if (text.empty()) return std::nullopt;
    return text;
}

std::string joined_names(const Json& name, const Place& at, const std::string& path) {
    std::string out;
    if (auto given = array(name, "given", at, path)) {
        for (std::size_t i = 0; i < given->size(); ++i) {
            const Json& g = (*given)[i];
            if (!g.is_string())
                at.fail(path + ".given[" + std::to_string(i) + "]", std::string("expected a string, found ") + type_name(g));
            if (!out.empty()) out += ' ';
            out += g.get<std::string>();
        }
    }
    return out;
}

MappedPatient map_patient(const Json& r, const std::string& full_url, const Place& at) {
    MappedPatient m;
    Patient& p = m.patient;
    auto id = string(r, "id", at, "");
    if (auto names = array(r, "name", at, "")) {
        const Json* chosen = nullptr;
        for (std::size_t i = 0; i < names->size(); ++i) {
            const Json& n = (*names)[i];
            std::string path = "name[" + std::to_string(i) + "]";
            if (!n.is_object()) at.fail(path, std::string("expected an object, found ") + type_name(n));
            auto use = string(n, "use", at, path);
            joined_names(n, at, path);
            string(n, "family", at, path);
            if (!chosen || (use && *use == "official")) chosen = &n;
        }
        if (chosen) {
            p.family = string(*chosen, "family", at, "name").value_or("");
            p.given = joined_names(*chosen, at, "name");
            auto text = string(*chosen, "text", at, "name");
            p.name = p.given.empty() ? p.family : (p.family.empty() ? p.given : p.given + " " + p.family);
            if (p.name.empty() && text) p.name = *text;
        }
    }
    auto birth = string(r, "birthDate", at, "");
    if (birth) {
        if (!is_fhir_date(*birth)) at.fail("birthDate", "'" + birth->substr(0, 40) + "' is not a FHIR date (YYYY-MM-DD)");
        p.birth_date = birth;
    }
    p.sex = string(r, "gender", at, "");
    if (auto identifiers = array(r, "identifier", at, "")) {
        for (std::size_t i = 0; i < identifiers->size(); ++i) {
            const Json& ident = (*identifiers)[i];
            std::string path = "identifier[" + std::to_string(i) + "]";
            if (!ident.is_object()) at.fail(path, std::string("expected an object, found ") + type_name(ident));
            auto value = string(ident, "value", at, path);
            auto type = first_coding(object(ident, "type", at, path), at, path + ".type");
            if (!value) continue;
            PatientIdentifier pi{string(ident, "system", at, path).value_or(""), *value, type.code};
            if (pi.type_code == "MR" && p.mrn.empty()) p.mrn = pi.value;
            p.identifiers.push_back(std::move(pi));
        }
    }
    if (p.mrn.empty() && !p.identifiers.empty()) p.mrn = p.identifiers.front().value;
    if (p.mrn.empty() && id) p.mrn = *id;
    if (p.mrn.empty()) p.mrn = full_url;
    if (p.mrn.empty()) at.fail("", "a Patient needs an identifier, an id or a fullUrl to be recognised again");
    p.source_ref = id ? "Patient/" + *id : full_url;
    if (!full_url.empty()) {
        m.aliases.push_back(full_url);
        m.aliases.push_back(normalize_reference(full_url));
    }
    if (id) {
        m.aliases.push_back("Patient/" + *id);
        m.aliases.push_back("urn:uuid:" + *id);
    }
    return m;
}

// Reads the fields every timeline type has, then the type's own.
std::optional<MappedEvent> map_event(const std::string& type, const Json& r, const Place& at) {
    MappedEvent m;
    m.place = at;
    TimelineEvent& e = m.event;
    e.resource_type = type;
    auto subject = object(r, "subject", at, "");
    const char* subject_key = "subject";
    if (!subject) {
        subject = object(r, "patient", at, "");
        subject_key = "patient";
    }
    if (subject) {
        auto ref = string(*subject, "reference", at, subject_key);
        if (ref) m.subject = normalize_reference(*ref);
    }
    if (auto status = string(r, "status", at, "")) e.status = status;

    if (type == "Encounter") {
        e.kind = EventKind::encounter;
        e.code = first_concept_in(r, "type", at);
        if (e.code.code.empty() && e.code.display.empty()) {
            if (auto cls = object(r, "class", at, "")) {
                e.code.system = string(*cls, "system", at, "class").value_or("");
                e.code.code = string(*cls, "code", at, "class").value_or("");
                e.code.display = string(*cls, "display", at, "class").value_or(e.code.code);
            }
        }
        auto p = period(r, "period", at);
        e.start = p.start;
        e.end = p.end;
    } else if (type == "Condition") {
        e.kind = EventKind::condition;
        e.code = concept_at(r, "code", at);
        auto onset = effective(r, "onset", at);
        e.start = onset.start ? onset.start : time(r, "recordedDate", at, "");
        e.end = onset.end ? onset.end : time(r, "abatementDateTime", at, "");
        auto clinical = first_coding(object(r, "clinicalStatus", at, ""), at, "clinicalStatus");
        if (!clinical.code.empty()) e.status = clinical.code;
    } else if (type == "Observation") {
        e.kind = EventKind::observation;
        e.code = concept_at(r, "code", at);
        auto when = effective(r, "effective", at);
        e.start = when.start ? when.start : time(r, "issued", at, "");
        e.end = when.end;
        read_value(r, at, "", e.value_num, e.value_text, e.unit);
        if (auto components = array(r, "component", at, "")) {
            for (std::size_t i = 0; i < components->size(); ++i) {
                const Json& c = (*components)[i];
                std::string path = "component[" + std::to_string(i) + "]";
                if (!c.is_object()) at.fail(path, std::string("expected an object, found ") + type_name(c));
                EventComponent ec;
                ec.code = first_coding(object(c, "code", at, path), at, path + ".code");
                read_value(c, at, path, ec.value_num, ec.value_text, ec.unit);
                e.components.push_back(std::move(ec));
            }
            // A panel of numbers in one unit reads as clinicians write it: 128/84 mm[Hg].
            bool same_unit = !e.components.empty() && !e.value_num && !e.value_text;
            for (const auto& c : e.components)
                same_unit = same_unit && c.value_num && c.unit == e.components.front().unit;
            if (same_unit) {
                // Systolic first, whatever order the source used (some give diastolic first).
                std::vector<const EventComponent*> order;
                for (const auto& c : e.components) order.push_back(&c);
                std::stable_partition(order.begin(), order.end(),
                                      [](const EventComponent* c) { return c->code.code == "8480-6"; });
                std::string text;
                for (const auto* c : order) text += (text.empty() ? "" : "/") + format_number(*c->value_num, 4);
                e.value_text = text;
                e.unit = e.components.front().unit;
            }
        }
    } else if (type == "MedicationRequest" || type == "MedicationStatement" || type == "MedicationAdministration") {
        e.kind = EventKind::medication;
        e.code = concept_at(r, "medicationCodeableConcept", at);
        if (e.code.display.empty()) {
            if (auto ref = object(r, "medicationReference", at, ""))
                e.code.display = string(*ref, "display", at, "medicationReference").value_or("");
        }
        if (type == "MedicationRequest") {
            e.start = time(r, "authoredOn", at, "");
            if (auto dosage = array(r, "dosageInstruction", at, ""); dosage && !dosage->empty() && (*dosage)[0].is_object())
                e.value_text = string((*dosage)[0], "text", at, "dosageInstruction[0]");
        } else {
            auto when = effective(r, "effective", at);
            e.start = when.start ? when.start : time(r, "dateAsserted", at, "");
            e.end = when.end;
        }
    } else if (type == "Procedure") {
        e.kind = EventKind::procedure;
        e.code = concept_at(r, "code", at);
        auto when = effective(r, "performed", at);
        e.start = when.start;
        e.end = when.end;
    } else if (type == "ImagingStudy") {
        e.kind = EventKind::imaging;
        e.code = first_concept_in(r, "procedureCode", at);
        if (e.code.code.empty() && e.code.display.empty()) {
            if (auto modalities = array(r, "modality", at, ""); modalities && !modalities->empty() && (*modalities)[0].is_object()) {
                e.code.system = string((*modalities)[0], "system", at, "modality[0]").value_or("");
                e.code.code = string((*modalities)[0], "code", at, "modality[0]").value_or("");
                e.code.display = string((*modalities)[0], "display", at, "modality[0]").value_or(e.code.code);
            }
        }
        e.start = time(r, "started", at, "");
        e.value_text = string(r, "description", at, "");
        if (auto n = number(r, "numberOfInstances", at, ""); n && !e.value_text)
            e.value_text = format_number(*n) + " instances";
    } else if (type == "DiagnosticReport") {
        e.kind = EventKind::report;
        e.code = concept_at(r, "code", at);
        auto when = effective(r, "effective", at);
        e.start = when.start ? when.start : time(r, "issued", at, "");
        e.end = when.end;
        e.value_text = string(r, "conclusion", at, "");
    } else if (type == "Immunization") {
        e.kind = EventKind::immunization;
        e.code = concept_at(r, "vaccineCode", at);
        e.start = time(r, "occurrenceDateTime", at, "");
        if (!e.start) e.start = time(r, "recorded", at, "");
        // A dose not given says why ("not-done": immunity, refusal...), since it matters as much.
        if (auto reason = object(r, "statusReason", at, "")) {
            auto c = first_coding(reason, at, "statusReason");
            e.value_text = c.display.empty() ? c.code : c.display;
        }
    } else if (type == "AllergyIntolerance") {
        e.kind = EventKind::allergy;
        e.code = concept_at(r, "code", at);
        auto onset = effective(r, "onset", at);
        e.start = onset.start ? onset.start : time(r, "recordedDate", at, "");
        e.end = onset.end;
        auto clinical = first_coding(object(r, "clinicalStatus", at, ""), at, "clinicalStatus");
        if (!clinical.code.empty()) e.status = clinical.code;
        e.value_text = allergy_detail(r, at);
    } else {
        return std::nullopt;
    }
    return m;
}

}  // namespace

std::string normalize_reference(const std::string& reference) {
    if (reference.rfind("urn:", 0) == 0) return reference;
    std::string ref = reference;
    if (auto h = ref.find("/_history/"); h != std::string::npos) ref.resize(h);
    auto slash = ref.rfind('/');
    if (slash == std::string::npos || slash == 0) return ref;
    auto type_start = ref.rfind('/', slash - 1);
    return type_start == std::string::npos ? ref : ref.substr(type_start + 1);
}

Mapped map_resource(const Json& r, const std::string& full_url, const Place& at) {
    Mapped out;
    const std::string type = r.at("resourceType").get<std::string>();
    if (type == "Patient") {
        out.patient = map_patient(r, full_url, at);
        return out;
    }
    out.event = map_event(type, r, at);
    if (!out.event) {
        out.skipped = type;
    } else if (out.event->subject.empty()) {
        out.event.reset();
        out.skipped = type;
        out.no_subject = true;
    }
    return out;
}

}  // namespace consilium::decision::fhir
