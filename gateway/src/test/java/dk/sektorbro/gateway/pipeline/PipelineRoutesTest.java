package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.platform.PipelineStage;
import dk.sektorbro.gateway.platform.RouteIds;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineRoutesTest {

  @Test
  void inOrder_stagesInAnyBeanOrder_followRouteIdsStages() {
    List<PipelineStage> sorted =
        PipelineRoutes.inOrder(
            List.of(
                stage(RouteIds.DELIVER),
                stage(RouteIds.VALIDATE),
                stage(RouteIds.GATES),
                stage(RouteIds.TRANSLATE)));
    assertThat(sorted)
        .extracting(PipelineStage::stage)
        .containsExactly(RouteIds.GATES, RouteIds.TRANSLATE, RouteIds.VALIDATE, RouteIds.DELIVER);
  }

  @Test
  void inOrder_missingStage_isRefused() {
    assertThatThrownBy(
            () ->
                PipelineRoutes.inOrder(
                    List.of(
                        stage(RouteIds.GATES), stage(RouteIds.TRANSLATE), stage(RouteIds.DELIVER))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("do not fill");
  }

  @Test
  void inOrder_twoStagesAtOnePlace_isRefused() {
    assertThatThrownBy(
            () ->
                PipelineRoutes.inOrder(
                    List.of(
                        stage(RouteIds.GATES),
                        stage(RouteIds.GATES),
                        stage(RouteIds.TRANSLATE),
                        stage(RouteIds.VALIDATE),
                        stage(RouteIds.DELIVER))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two pipeline stages at gates");
  }

  private static PipelineStage stage(String place) {
    return new PipelineStage() {
      @Override
      public String stage() {
        return place;
      }

      @Override
      public boolean process(String journalId) {
        return true;
      }
    };
  }
}
