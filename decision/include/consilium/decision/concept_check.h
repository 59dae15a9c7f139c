#pragma once
// Checks of what can be checked in a code without a terminology server: a SNOMED CT identifier's
// form (length, partition, Verhoeff check digit) and an ICD-10 code's pattern. A code that passes
// may still not exist; one that fails certainly does not.
#include "consilium/decision/timeline.h"

#include <string>
#include <string_view>

namespace consilium::decision {

inline constexpr const char* kSnomedCt = "http://snomed.info/sct";

// "" when `id` has the form of a SNOMED CT concept identifier (SCTID): 6 to 18 digits without a
// leading zero, partition identifier 00 or 10 (a concept, short or long format) in the second and
// third digits from the right, and a valid Verhoeff check digit last. Else why not, in words.
std::string snomed_concept_id_problem(std::string_view id);

// "" when `code` has the form of an ICD-10 code: a letter, two digits (the second may be a
// letter, as in ICD-10-CM), optionally a dot and one to four more letters or digits (C34.1, U07.1).
std::string icd10_code_problem(std::string_view code);

// Whether `digits` (all decimal digits) ends in its Verhoeff check digit.
bool verhoeff_valid(std::string_view digits);

// Whether `system` names SNOMED CT / ICD-10 (the URIs FHIR uses, and the short names people type).
bool is_snomed_ct(std::string_view system);
bool is_icd10(std::string_view system);

// "" when a concept a clinician holds instead may be recorded: a code system and a code (an SR
// export needs a coded concept), the code of the right form for SNOMED CT and ICD-10. Else why
// not, naming the code and the system.
std::string concept_problem(const Coding& concept_held);

}  // namespace consilium::decision
