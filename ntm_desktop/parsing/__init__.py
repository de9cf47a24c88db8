"""Qt-free parsing of pasted directives into proposed metadata, tasks and targets."""

from ntm_desktop.parsing.proposal import Proposal, TargetProposal, TaskProposal, parse_directive, proposal_to_dict

__all__ = ["Proposal", "TaskProposal", "TargetProposal", "parse_directive", "proposal_to_dict"]
