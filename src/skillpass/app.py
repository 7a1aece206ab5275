"""The composition root: builds every service from one :class:`~skillpass.config.Settings`.

Adapters (CLI, HTTP API, web UI) receive a :class:`SkillPass` and call its services; nothing else
constructs a service, and there are no module-level singletons.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from skillpass.auth.service import AuthService
from skillpass.community.facade import CommunityService
from skillpass.config import Settings
from skillpass.credentials.achievements import AchievementService
from skillpass.credentials.issuance import IssuanceService
from skillpass.credentials.issuers import IssuerService
from skillpass.credentials.trust import TrustService
from skillpass.demo.service import DemoService
from skillpass.intelligence.analytics import IndicatorService
from skillpass.intelligence.reports import IntelligenceReports
from skillpass.intelligence.service import IntelligenceService
from skillpass.matching.service import MatchingService
from skillpass.mobility.platform import PlatformEvents
from skillpass.mobility.service import MobilityService
from skillpass.passport.attestations import AttestationService
from skillpass.passport.holder import HolderKeyService
from skillpass.passport.rpl import RplService
from skillpass.passport.service import PassportService
from skillpass.passport.shares import ShareService
from skillpass.pathways.catalogue import CatalogueService
from skillpass.pathways.funding import FundingService
from skillpass.pathways.service import PathwayService
from skillpass.pathways.targets import TargetResolver
from skillpass.qualifications.service import QualificationService
from skillpass.recognition.service import RecognitionService
from skillpass.storage.db import create_db_engine, upgrade_schema
from skillpass.taxonomy.capabilities import CapabilityService
from skillpass.taxonomy.service import TaxonomyService

__all__ = ["SkillPass", "build"]


@dataclass(frozen=True)
class SkillPass:
    """Every service of one SkillPass instance."""

    settings: Settings
    engine: Engine
    taxonomy: TaxonomyService
    capabilities: CapabilityService
    qualifications: QualificationService
    auth: AuthService
    demo: DemoService
    issuers: IssuerService
    achievements: AchievementService
    credentials: IssuanceService
    trust: TrustService
    matching: MatchingService
    passport: PassportService
    holders: HolderKeyService
    attestations: AttestationService
    rpl: RplService
    shares: ShareService
    catalogue: CatalogueService
    funding: FundingService
    targets: TargetResolver
    pathways: PathwayService
    recognition: RecognitionService
    community: CommunityService
    mobility: MobilityService
    intelligence: IntelligenceService
    indicators: IndicatorService
    intelligence_reports: IntelligenceReports

    def close(self) -> None:
        """Stop background work (the matching warm-up) and release database connections."""
        self.matching.close()
        self.engine.dispose()


def build(settings: Settings | None = None, *, migrate: bool = True) -> SkillPass:
    """Build a SkillPass instance.

    Args:
        settings: The settings; read from the environment when omitted.
        migrate: Bring the database schema up to date first (Alembic ``upgrade head``).

    Returns:
        The wired services.
    """
    settings = settings or Settings()
    engine = create_db_engine(settings.resolved_database_url)
    if migrate:
        upgrade_schema(engine)
    capabilities = CapabilityService(engine)
    auth = AuthService(engine, settings)
    issuers = IssuerService(engine, settings)
    achievements = AchievementService(engine, issuers.repository, capabilities)
    credentials = IssuanceService(engine, settings, issuers, achievements)
    mobility = MobilityService(engine, settings)
    platform_events = PlatformEvents(mobility.events, issuers, credentials, capabilities)
    credentials.set_observer(platform_events)
    trust = TrustService(engine, settings, issuers, credentials, observer=platform_events)
    matching = MatchingService(engine, settings.data_dir)
    passport = PassportService(engine, settings, auth, credentials, trust, capabilities, matching)
    holders = HolderKeyService(engine, settings)
    taxonomy = TaxonomyService(engine, settings.data_dir, capabilities)
    qualifications = QualificationService()
    catalogue = CatalogueService(engine, capabilities, issuers)
    funding = FundingService(engine)
    targets = TargetResolver(taxonomy, capabilities, achievements)
    indicators = IndicatorService(settings, engine)
    return SkillPass(
        settings=settings,
        engine=engine,
        taxonomy=taxonomy,
        capabilities=capabilities,
        qualifications=qualifications,
        auth=auth,
        demo=DemoService(engine, auth),
        issuers=issuers,
        achievements=achievements,
        credentials=credentials,
        trust=trust,
        matching=matching,
        passport=passport,
        holders=holders,
        attestations=AttestationService(engine, settings, issuers, passport),
        rpl=RplService(engine, settings, issuers, achievements, credentials, passport),
        shares=ShareService(engine, settings, passport, holders, trust),
        catalogue=catalogue,
        funding=funding,
        targets=targets,
        pathways=PathwayService(catalogue, funding, targets, passport),
        mobility=mobility,
        recognition=RecognitionService(
            engine,
            settings,
            targets,
            passport,
            trust,
            taxonomy,
            qualifications,
            matching,
            issuers,
            mobility=platform_events,
        ),
        community=CommunityService(engine, capabilities, catalogue, funding),
        intelligence=IntelligenceService(engine, settings.data_dir, matching, capabilities),
        indicators=indicators,
        intelligence_reports=IntelligenceReports(indicators, capabilities),
    )
