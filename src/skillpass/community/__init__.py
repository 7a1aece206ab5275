"""Pact for Skills community: organisations' commitments and progress, skills partnerships,
partner finding with contact requests, the best-practice library, news and events.

The funding portal is the pathway planner's funding directory
(:class:`skillpass.pathways.funding.FundingService`): one directory, reached from the community
pages. Start from :class:`skillpass.community.facade.CommunityService` (``SkillPass.community``).
"""
