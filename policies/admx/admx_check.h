#pragma once
// Checks of an ADMX + ADML pair that the XML Schema cannot make, as a list of problems (empty: none). Each
// problem is one line naming the file ("admx"/"adml"), the policy or string and what is wrong. Reads the two
// documents only; used by the tests on the checked-in template and by `rdpmend policy template` on what it
// is about to write.
//
// check_references: every $(string.X) and $(presentation.X) resolves in the ADML; every presentation
//   control names an element of its policy by refId, and the control fits the element (checkBox-boolean,
//   dropdownList-enum, decimalTextBox-decimal, textBox/comboBox-text, listBox-list, multiTextBox-multiText);
//   every element has a control; policy names, category names and element ids are unique; parentCategory
//   and supportedOn refs resolve; every key is SOFTWARE\Policies\RdpMend or below, with no hive; no
//   registry value is written by two policies; decimal ranges are ordered, enum values distinct.
// check_against_table: every setting of `table` has exactly one policy writing a value of its name to the
//   key the agent reads, of its type (switch: REG_DWORD 1/0 on the policy; choice: enum with the table's
//   values in order; integer: decimal with the table's range; text: text, not expandable), with the table's
//   default in the ADML control; every value the template writes is a setting of `table`, so the agent
//   reads it; every policy is a Machine policy.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "policy_table.h"

namespace rdpmend::policy::admx {

std::vector<std::string> check_references(std::string_view admx, std::string_view adml);

std::vector<std::string> check_against_table(std::string_view admx, std::string_view adml,
                                             std::span<const Setting> table);

// Both checks, against policy_table().
std::vector<std::string> check_template(std::string_view admx, std::string_view adml);

}  // namespace rdpmend::policy::admx
